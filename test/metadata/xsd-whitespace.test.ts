/**
 * Whitespace around a value, as the Metadata API reads it. XML Schema Part 2 §4.3.6 (whiteSpace): every atomic
 * type but xsd:string (and the enumerations restricting it) has whiteSpace fixed to "collapse", §3.3.13 / §3.2.2 /
 * §3.2.5 for xsd:int, xsd:boolean, xsd:double; so `<capacity> 20 </capacity>` is the int 20, and `<enableDecline>
 * true </enableDecline>` the boolean true. "Whitespace" there is #x20, #x9, #xA and #xD only (XML 1.0 §2.3 S): a
 * no-break space is not collapsed. xsd:string keeps its text as written (whiteSpace "preserve").
 *
 * validate, import and deploy's offline check (the same `validateProject`) agree: a padded value is the value.
 * (xmllint 2.9.14 collapses a padded xsd:double or xsd:boolean but refuses a padded xsd:int, against §4.3.6: the
 * Schema is the authority here, not that tool; generate writes every value unpadded, so its output passes both.)
 * Element types are omni-metadata.xsd's: PresenceUserConfig capacity/interruptibleCapacity xsd:int,
 * enableDecline xsd:boolean; QueueRoutingConfig capacityPercentage xsd:double, routingPriority xsd:int,
 * routingModel the enumeration RoutingModel (a restriction of xsd:string); maxExtensions xsd:string.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateProject } from '../../scripts/validate/index.ts';
import { omniOffline } from '../helpers/omni.ts';
import { makeProject } from '../helpers/project.ts';

const D = 'force-app/main/default';
const PUC = `${D}/presenceUserConfigs/Agents.presenceUserConfig-meta.xml`;
const QRC = `${D}/queueRoutingConfigs/Routing.queueRoutingConfig-meta.xml`;

const xml = (type: string, lines: string[]) =>
  ['<?xml version="1.0" encoding="UTF-8"?>', `<${type} xmlns="http://soap.sforce.com/2006/04/metadata">`, ...lines.map((l) => `    ${l}`), `</${type}>`, ''].join('\n');

/** Agents (capacity, enableDecline, interruptibleCapacity, label) and Routing (capacityPercentage, label, routingModel, routingPriority), each value padded by `pad`. */
function files(pad: (value: string) => string): Record<string, string> {
  return {
    [PUC]: xml('PresenceUserConfig', [`<capacity>${pad('20')}</capacity>`, `<enableDecline>${pad('true')}</enableDecline>`, `<interruptibleCapacity>${pad('5')}</interruptibleCapacity>`, '<label>Agents</label>']),
    [QRC]: xml('QueueRoutingConfig', [`<capacityPercentage>${pad('50.5')}</capacityPercentage>`, '<label>Routing</label>', '<routingModel>LEAST_ACTIVE</routingModel>', `<routingPriority>${pad('1')}</routingPriority>`]),
  };
}

const projects: Array<{ cleanup(): void }> = [];
const temps: string[] = [];
afterAll(() => {
  for (const p of projects) p.cleanup();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function project(content: Record<string, string>): string {
  const p = makeProject({ apiVersion: '66.0', files: content, prefix: 'omni-ws-' });
  projects.push(p);
  return p.dir;
}

const findings = async (content: Record<string, string>) =>
  (await validateProject({ projectRoot: project(content), specFile: null })).diagnostics.map((d) => `${d.file}:${d.line} ${d.ruleId}: ${d.message}`);

/** `omni import --out` of the project's XML, in process: the spec it writes. */
async function imported(content: Record<string, string>): Promise<{ code: number; spec: string }> {
  const root = project(content);
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'omni-ws-spec-')), 'spec.yaml');
  temps.push(path.dirname(out));
  const run = await omniOffline(root, ['import', '--out', out]);
  // The header comment names the schema relative to each temp project: left out.
  return { code: run.code, spec: run.code === 0 ? readFileSync(out, 'utf8').replace(/^(#.*\n)+/, '') : run.stdout + run.stderr };
}

describe('xsd:int, xsd:double and xsd:boolean values collapse their surrounding whitespace (XML Schema Part 2 §4.3.6)', () => {
  const paddings: Array<[string, (v: string) => string]> = [
    ['spaces', (v) => ` ${v} `],
    ['tabs and line feeds', (v) => `\n\t\t${v}\n    `],
    ['a carriage return', (v) => `\r\n${v}\r\n`],
  ];

  for (const [name, pad] of paddings) {
    it(`validate (and deploy's offline check) accept values padded with ${name}`, async () => {
      expect(await findings(files(pad))).toEqual([]);
    });
  }

  it('import reads a padded value as the value: the same spec as from unpadded XML', async () => {
    const plain = await imported(files((v) => v));
    expect(plain.code).toBe(0);
    expect(plain.spec).toMatch(/capacity: 20\n/);
    // Every padding of the cases above at once.
    const padded = await imported(files((v) => `\r\n\t ${v} \n  `));
    expect(padded.code, padded.spec).toBe(0);
    expect(padded.spec).toBe(plain.spec);
  });

  it('a padded value out of its range gets the same finding as the unpadded one', async () => {
    const at = (v: string) => ({ [PUC]: xml('PresenceUserConfig', [`<capacity>${v}</capacity>`, '<label>Agents</label>']) });
    const plain = await findings(at('0'));
    expect(plain).toEqual([`${PUC}:3 PUC-CAPACITY: capacity is 0; it must be a whole number of at least 1.`]);
    expect(await findings(at(' 0 '))).toEqual(plain);
  });

  it('only XML whitespace collapses, and only around the value: a no-break space or a space inside stays an error', async () => {
    for (const value of ['\u00A020', '20\u00A0', '2 0', ' 2 0 ']) {
      const found = await findings({ [PUC]: xml('PresenceUserConfig', [`<capacity>${value}</capacity>`, '<label>Agents</label>']) });
      expect(found.map((f) => f.split(': ')[0]), JSON.stringify(value)).toEqual([`${PUC}:3 XML-VALUE-TYPE`]);
    }
  });

  it('xsd:string and its enumerations keep their text as written: a padded enumeration value is not one of its values', async () => {
    const found = await findings({ [QRC]: xml('QueueRoutingConfig', ['<capacityWeight>1</capacityWeight>', '<label>Routing</label>', '<routingModel> LEAST_ACTIVE </routingModel>', '<routingPriority>1</routingPriority>']) });
    expect(found.map((f) => f.split(': ')[0])).toEqual([`${QRC}:5 XML-VALUE-TYPE`]);
  });
});
