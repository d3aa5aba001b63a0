/**
 * Updates the `servicePresenceStatusAccesses` of an existing PermissionSet (or Profile) file in place.
 * These types are only partly ours: everything else in the file (other permissions, comments, odd
 * whitespace) must survive byte for byte, so this edits the text rather than re-serializing it.
 */
const ELEMENT = 'servicePresenceStatusAccesses';

interface TopLevelElement {
  name: string;
  /** Offset of `<`. */
  start: number;
  /** Offset just after the closing `>`. */
  end: number;
}

/** Depth-1 elements of an XML document, skipping comments, processing instructions, CDATA, DOCTYPE. */
function topLevelElements(text: string): { elements: TopLevelElement[]; rootClose: number } | undefined {
  const elements: TopLevelElement[] = [];
  let depth = 0;
  let i = 0;
  let current: TopLevelElement | undefined;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) return undefined;
      i = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt);
      if (end < 0) return undefined;
      i = end + 3;
      continue;
    }
    if (text.startsWith('<?', lt) || text.startsWith('<!', lt)) {
      const end = text.indexOf('>', lt);
      if (end < 0) return undefined;
      i = end + 1;
      continue;
    }
    const gt = findTagEnd(text, lt);
    if (gt < 0) return undefined;
    const tag = text.slice(lt + 1, gt);
    const closing = tag.startsWith('/');
    const selfClosing = tag.endsWith('/');
    const name = (closing ? tag.slice(1) : tag).match(/^[^\s/>]+/)?.[0] ?? '';
    if (closing) {
      depth--;
      if (depth === 1 && current) {
        current.end = gt + 1;
        elements.push(current);
        current = undefined;
      }
      if (depth === 0) return { elements, rootClose: lt };
    } else {
      if (depth === 1) current = { name, start: lt, end: gt + 1 };
      if (selfClosing) {
        if (depth === 1 && current) {
          elements.push(current);
          current = undefined;
        }
      } else depth++;
    }
    i = gt + 1;
  }
  return undefined;
}

/** End of a tag, honouring quoted attribute values. */
function findTagEnd(text: string, lt: number): number {
  let quote = '';
  for (let i = lt + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}

function lineStart(text: string, offset: number): number {
  const nl = text.lastIndexOf('\n', offset - 1);
  return nl + 1;
}

/** Start of the next line after `offset` (or the text end). */
function nextLine(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function unescapeXml(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/** Statuses granted (enabled=true) by the file's servicePresenceStatusAccesses, in file order. */
export function readStatusAccesses(text: string): Array<{ enabled: boolean; status: string }> {
  const scanned = topLevelElements(text);
  if (!scanned) return [];
  return scanned.elements
    .filter((e) => e.name === ELEMENT)
    .map((e) => {
      const body = text.slice(e.start, e.end);
      return {
        enabled: /<enabled>\s*true\s*<\/enabled>/.test(body),
        status: unescapeXml(body.match(/<servicePresenceStatus>([\s\S]*?)<\/servicePresenceStatus>/)?.[1].trim() ?? ''),
      };
    });
}

/**
 * The file text with its servicePresenceStatusAccesses replaced by `statuses` (each enabled=true), placed
 * where the WSDL order (alphabetical for PermissionSet and Profile) puts them. Returns the text unchanged
 * when it already grants exactly these statuses; undefined when the text is not well-formed enough to edit.
 */
export function setStatusAccesses(text: string, statuses: readonly string[]): string | undefined {
  const scanned = topLevelElements(text);
  if (!scanned) return undefined;
  const current = readStatusAccesses(text);
  if (current.length === statuses.length && current.every((c, i) => c.enabled && c.status === statuses[i])) return text;

  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const { elements } = scanned;
  const first = elements[0];
  const indent = first ? text.slice(lineStart(text, first.start), first.start).replace(/[^\t ]/g, '') || '    ' : '    ';
  const inner = indent + (indent.startsWith('\t') ? '\t' : indent);
  const existing = elements.filter((e) => e.name === ELEMENT);
  // An access the file already grants keeps its own text (elements omni does not know inside it included),
  // when it stands on lines of its own.
  const kept = new Map<string, string>();
  existing.forEach((e, i) => {
    const from = lineStart(text, e.start);
    if (!current[i].enabled || kept.has(current[i].status) || text.slice(from, e.start).trim() !== '' || !onlyWhitespaceAfter(text, e.end)) return;
    kept.set(current[i].status, `${text.slice(from, e.end)}${eol}`);
  });
  const block = statuses
    .map(
      (s) =>
        kept.get(s) ??
        `${indent}<${ELEMENT}>${eol}${inner}<enabled>true</enabled>${eol}${inner}<servicePresenceStatus>${escapeXml(s)}</servicePresenceStatus>${eol}${indent}</${ELEMENT}>${eol}`,
    )
    .join('');

  // Remove every existing access (with its own line), then put the block where the first one was,
  // or before the first element that follows it in WSDL order, or before the root's closing tag.
  let insertAt: number;
  if (existing.length) insertAt = lineStart(text, existing[0].start);
  else {
    const after = elements.find((e) => e.name > ELEMENT);
    insertAt = lineStart(text, after ? after.start : scanned.rootClose);
  }
  let out = '';
  let cursor = 0;
  const cuts = existing.map((e) => [lineStart(text, e.start), onlyWhitespaceAfter(text, e.end) ? nextLine(text, e.end) : e.end] as const);
  let inserted = false;
  for (const [from, to] of cuts) {
    if (!inserted && insertAt <= from) {
      out += text.slice(cursor, insertAt) + block;
      cursor = insertAt;
      inserted = true;
    }
    out += text.slice(cursor, from);
    cursor = to;
  }
  if (!inserted) {
    out += text.slice(cursor, insertAt) + block;
    cursor = insertAt;
  }
  return out + text.slice(cursor);
}

function onlyWhitespaceAfter(text: string, offset: number): boolean {
  const end = nextLine(text, offset);
  return /^[ \t]*\r?\n?$/.test(text.slice(offset, end));
}
