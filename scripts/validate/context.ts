/**
 * What a rule sees: the documents under validation, the registry entry of each, and `report`, which turns a
 * (rule id, node, message, hint) into a located Diagnostic with the catalogue's severity.
 */
import path from 'node:path';
import type { MetadataDocument } from '../metadata/document.ts';
import type { MetadataTypeDef } from '../metadata/registry.ts';
import type { XmlNode } from '../metadata/xml.ts';
import { getRule } from './catalogue.ts';
import type { Diagnostic, RelatedLocation, Severity } from '../lib/diagnostic.ts';

export interface ReportOptions {
  hint?: string;
  /** Overrides the catalogue severity (e.g. a reference rule downgraded to info). */
  severity?: Severity;
  related?: RelatedLocation[];
}

/**
 * Findings the output will not show, counted instead of built: the text output below `--level info` prints
 * only how many infos it hides (bench/RESULTS.md, "Validate at scale": 20,000 of them at 10,000 configurations).
 */
export interface HiddenTally {
  /** Findings less severe than this are counted here, never built. */
  readonly level: Severity;
  /** One hidden finding of this severity in this file (the file shown, as a Diagnostic's). */
  add(severity: Severity, file: string | undefined): void;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Whether a finding of this severity is below the level an output shows (`level`: error < warning < info). */
export const belowLevel = (severity: Severity, level: Severity): boolean => RANK[severity] > RANK[level];

export interface ValidationContext {
  /** Project API version as a number (66), or undefined to skip version checks (e.g. corpus files). */
  apiVersion?: number;
  /** Absolute project root; document paths are shown relative to it. */
  projectRoot?: string;
  /** Reports a finding; one the output hides (see `hides`) is only counted. */
  report(ruleId: string, doc: MetadataDocument, node: XmlNode | undefined, message: string, options?: ReportOptions): void;
  /**
   * Whether a finding of the rule (at its catalogue severity, or `severity`) is only counted by this run's
   * output: a rule that reports thousands of them then calls `count` instead of wording each one.
   */
  hides(ruleId: string, severity?: Severity): boolean;
  /** Counts a finding `hides` said the output does not show, in the document's file. */
  count(ruleId: string, doc: MetadataDocument, severity?: Severity): void;
  /** A location for `related` lists and messages: `file:line:col`. */
  where(doc: MetadataDocument, node?: XmlNode): RelatedLocation;
  typeOf(doc: MetadataDocument): MetadataTypeDef;
}

/**
 * Where a node of a document is, when that is not the node's own line and column: a spec document the
 * validator holds as its XML twin's nodes (scripts/validate/index.ts, `twinOf`) gives the spec's positions.
 * Undefined for every other document.
 */
export type PositionOf = (doc: MetadataDocument, node: XmlNode) => { line: number; column: number } | undefined;

export function createContext(
  diagnostics: Diagnostic[],
  options: { apiVersion?: number; projectRoot?: string; hidden?: HiddenTally; positionOf?: PositionOf },
): ValidationContext {
  const hidden = options.hidden;
  const positionOf = options.positionOf;
  const severityOf = (ruleId: string, severity: Severity | undefined): Severity => severity ?? getRule(ruleId)?.severity ?? 'error';
  const fileCache = new Map<string, string>();
  const fileOf = (doc: MetadataDocument): string | undefined => {
    if (!doc.path) return undefined;
    // A project-relative POSIX path (every file a project read gives) is shown as it is: no cache entry per file.
    if (path.sep === '/' && doc.path.charCodeAt(0) !== 47) return doc.path;
    let shown = fileCache.get(doc.path);
    if (shown === undefined) {
      shown = displayPath(doc.path, options.projectRoot);
      fileCache.set(doc.path, shown);
    }
    return shown;
  };
  const where = (doc: MetadataDocument, node?: XmlNode): RelatedLocation => {
    const at = node ?? doc.root;
    const moved = positionOf && at ? positionOf(doc, at) : undefined;
    return { file: fileOf(doc) ?? `${doc.type.name}:${doc.fullName}`, line: moved ? moved.line : at?.line, column: moved ? moved.column : at?.column };
  };
  return {
    apiVersion: options.apiVersion,
    projectRoot: options.projectRoot,
    where,
    typeOf: (doc) => doc.type,
    hides: (ruleId, severity) => hidden !== undefined && belowLevel(severityOf(ruleId, severity), hidden.level),
    count(ruleId, doc, severity) {
      hidden?.add(severityOf(ruleId, severity), fileOf(doc));
    },
    report(ruleId, doc, node, message, reportOptions = {}) {
      const severity = severityOf(ruleId, reportOptions.severity);
      if (hidden && belowLevel(severity, hidden.level)) {
        hidden.add(severity, fileOf(doc));
        return;
      }
      const at = node ?? doc.root;
      const moved = positionOf && at ? positionOf(doc, at) : undefined;
      // Keys in the Diagnostic interface's order (hint before the location), as the parser and spec loader build theirs.
      const diagnostic: Diagnostic = {
        ruleId,
        severity,
        message,
        ...(reportOptions.hint ? { hint: reportOptions.hint } : {}),
        file: fileOf(doc),
        line: moved ? moved.line : at?.line,
        column: moved ? moved.column : at?.column,
      };
      if (reportOptions.related?.length) diagnostic.related = reportOptions.related;
      diagnostics.push(diagnostic);
    },
  };
}

/** Relative to the project root with forward slashes when inside it; otherwise the path as given. */
export function displayPath(file: string, projectRoot?: string): string {
  if (projectRoot && path.isAbsolute(file)) {
    const relative = path.relative(projectRoot, file);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
  }
  return path.sep === '/' ? file : file.split(path.sep).join('/');
}

export function formatWhere(location: RelatedLocation): string {
  return location.line ? `${location.file}:${location.line}:${location.column ?? 1}` : location.file;
}
