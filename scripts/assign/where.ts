/**
 * A user-supplied SOQL condition on User (`Department = 'Support'`) is pasted into
 * `SELECT … FROM User WHERE (<condition>)`. It must stay a condition: no statement separator, no
 * subquery (which could read other objects), no clause after WHERE, and no parenthesis that closes ours.
 */
import { messageText } from '../lib/messages.ts';

const FORBIDDEN_WORDS = new Set(['SELECT', 'FROM', 'LIMIT', 'OFFSET', 'ORDER', 'GROUP', 'HAVING', 'FOR', 'UPDATE', 'WITH', 'USING', 'SCOPE', 'TYPEOF', 'FIELDS', 'ALL', 'ROWS', 'UNION', 'VIEW', 'REFERENCE']);

/** Returns a reason when `condition` is not a plain WHERE condition, undefined when it is. */
export function checkWhereCondition(condition: string): string | undefined {
  if (condition.trim() === '') return messageText('assign-findings', 'Where.empty');
  let depth = 0;
  let i = 0;
  let tokens = 0;
  while (i < condition.length) {
    const c = condition[i];
    if (c === "'") {
      // A string literal: backslash escapes, must be closed.
      let j = i + 1;
      for (; j < condition.length; j++) {
        if (condition[j] === '\\') j++;
        else if (condition[j] === "'") break;
      }
      if (j >= condition.length) return messageText('assign-findings', 'Where.unterminatedString', [i + 1]);
      i = j + 1;
      tokens++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth < 0) return messageText('assign-findings', 'Where.unbalancedClose', [i + 1]);
    } else if (c === ';') return messageText('assign-findings', 'Where.semicolon', [i + 1]);
    else if (c === '"' || c === '`') return messageText('assign-findings', 'Where.doubleQuote', [c, i + 1]);
    else if (c === '-' && condition[i + 1] === '-') return messageText('assign-findings', 'Where.lineComment', [i + 1]);
    else if (c === '/' && condition[i + 1] === '*') return messageText('assign-findings', 'Where.blockComment', [i + 1]);
    else if (c === ':') return messageText('assign-findings', 'Where.bind', [i + 1]);
    else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < condition.length && /[A-Za-z0-9_.]/.test(condition[j])) j++;
      const word = condition.slice(i, j).toUpperCase();
      if (FORBIDDEN_WORDS.has(word)) return messageText('assign-findings', 'Where.forbiddenWord', [condition.slice(i, j), i + 1]);
      i = j;
      tokens++;
      continue;
    }
    i++;
  }
  if (depth !== 0) return messageText('assign-findings', 'Where.unbalancedOpen');
  if (tokens < 2) return messageText('assign-findings', 'Where.noCondition');
  return undefined;
}

/** The condition ready to embed: validated and parenthesised so it cannot change the surrounding query. */
export function wrapWhereCondition(condition: string): string {
  const problem = checkWhereCondition(condition);
  if (problem) throw new RangeError(`Invalid SOQL condition: ${problem}`);
  return `(${condition.trim()})`;
}
