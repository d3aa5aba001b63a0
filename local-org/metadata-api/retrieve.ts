/**
 * `retrieve` / `checkRetrieveStatus`: an async job (id prefix `09S`) that renders the requested
 * components from the org's records through the org's serializer (xml.ts) into a zip (package.xml first),
 * with fileProperties and "cannot be found" messages as the real service writes them.
 */
import JSZip from 'jszip';
import type { LocalOrgContext } from '../context.ts';
import { serializeComponent } from './xml.ts';
import { bindingForPackageType, type Binding, type ComponentRef } from './components.ts';
import { splitContent } from './static-resource.ts';
import { renderPackageXml, type PackageManifest } from './package-xml.ts';
import { argBool, argList, argText, argTexts, argTree, SoapFault, type SoapTree, type XmlValue } from './soap.ts';
import { checkAsyncId, isoDate } from './jobs.ts';

export const RETRIEVE_TIMING = { pendingMs: 60 };

interface FileProperties {
  createdById: string;
  createdByName: string;
  createdDate: string;
  fileName: string;
  fullName: string;
  id: string;
  lastModifiedById: string;
  lastModifiedByName: string;
  lastModifiedDate: string;
  manageableState: string;
  type: string;
}

interface RetrieveJob {
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed';
  done: boolean;
  fileProperties: FileProperties[];
  messages: Array<{ fileName: string; problem: string }>;
  zipFile?: string;
  errorMessage?: string;
  errorStatusCode?: string;
}

export function startRetrieve(org: LocalOrgContext, endpointVersion: string, args: SoapTree): XmlValue {
  const request = argTree(args, 'request');
  if (!request) throw new SoapFault('INVALID_OPERATION', 'A RetrieveRequest is required');
  const unpackaged = argTree(request, 'unpackaged');
  const packageNames = argTexts(request, 'packageNames');
  if (!unpackaged && packageNames.length === 0 && argTexts(request, 'specificFiles').length === 0) {
    throw new SoapFault('INVALID_OPERATION', 'Must specify either packageNames or unpackaged or specificFiles');
  }
  const apiVersion = Number(argText(request, 'apiVersion') || endpointVersion);
  const singlePackage = argBool(request, 'singlePackage', false);
  const manifest: PackageManifest = {
    types: argList(unpackaged, 'types')
      .filter((t): t is SoapTree => typeof t === 'object' && !Array.isArray(t))
      .map((t) => ({ name: argText(t, 'name') ?? '', members: argTexts(t, 'members') })),
    version: argText(unpackaged, 'version') || (Number.isFinite(apiVersion) ? apiVersion.toFixed(1) : endpointVersion),
  };
  const job = org.jobs.create<RetrieveJob>('retrieve', '09S', { status: 'Pending', done: false, fileProperties: [], messages: [] });
  setTimeout(() => {
    job.data.status = 'InProgress';
    build(org, manifest, Number.isFinite(apiVersion) ? apiVersion : Number(endpointVersion), singlePackage, packageNames).then(
      (result) => Object.assign(job.data, result, { status: 'Succeeded', done: true }),
      (error: Error) => Object.assign(job.data, { status: 'Failed', done: true, errorMessage: error.message, errorStatusCode: 'UNKNOWN_EXCEPTION' }),
    );
  }, RETRIEVE_TIMING.pendingMs).unref();
  return { done: false, id: job.id, state: 'Queued' };
}

async function build(org: LocalOrgContext, manifest: PackageManifest, apiVersion: number, singlePackage: boolean, packageNames: string[]): Promise<Partial<RetrieveJob>> {
  const prefix = singlePackage ? '' : 'unpackaged/';
  const zip = new JSZip();
  const fileProperties: FileProperties[] = [];
  const messages: RetrieveJob['messages'] = [];
  const admin = org.store.get(org.userId);
  const adminName = String(admin?.Name ?? org.username);
  const now = isoDate();
  for (const name of packageNames) messages.push({ fileName: name, problem: `No package named '${name}' found` });
  // Snapshot every component first (synchronously), so a deploy landing meanwhile can't tear the zip.
  const files: Array<{ path: string; content: string | Buffer; ref: ComponentRef; binding: Binding; meta?: string }> = [];
  for (const entry of manifest.types) {
    const binding = bindingForPackageType(entry.name);
    if (!binding) {
      messages.push({ fileName: `${prefix}package.xml`, problem: `Entity type: '${entry.name}' is unknown` });
      continue;
    }
    const type = binding.type;
    const refs: ComponentRef[] = [];
    const seen = new Set<string>();
    for (const member of entry.members) {
      if (member === '*') {
        for (const ref of binding.list(org)) if (!seen.has(ref.fullName.toLowerCase())) refs.push(ref);
      } else {
        const ref = binding.find(org, member);
        if (!ref) {
          messages.push({ fileName: `${prefix}${type.directoryName}/${member}.${type.suffix}`, problem: `Entity of type '${entry.name}' named '${member}' cannot be found` });
          continue;
        }
        if (!seen.has(ref.fullName.toLowerCase())) refs.push({ ...ref, fullName: member });
      }
      for (const r of refs) seen.add(r.fullName.toLowerCase());
    }
    for (const ref of refs) {
      const root = binding.render(org, ref.fullName, apiVersion);
      if (!root) continue;
      const path = `${type.directoryName}/${ref.fullName}.${type.suffix}`;
      if ('contentFile' in binding && binding.contentFile === true) {
        // StaticResource: the bytes, and the -meta.xml beside them.
        const { bytes, meta } = splitContent(root);
        files.push({ path, content: bytes, ref, binding, meta: serializeComponent(type.name, type.elements, meta) });
        continue;
      }
      files.push({ path, content: serializeComponent(type.name, type.elements, root), ref, binding });
    }
  }
  zip.file(`${prefix}package.xml`, renderPackageXml(manifest));
  fileProperties.push(props(`${prefix}package.xml`, `${prefix}package.xml`, 'Package', '', org.userId, adminName, now, now));
  for (const f of files.sort((a, b) => a.path.localeCompare(b.path))) {
    zip.file(`${prefix}${f.path}`, f.content);
    if (f.meta !== undefined) zip.file(`${prefix}${f.path}-meta.xml`, f.meta);
    fileProperties.push(
      props(
        `${prefix}${f.path}`,
        f.ref.fullName,
        f.binding.type.packageTypeName === 'Settings' ? 'Settings' : f.binding.type.name,
        f.ref.id ?? '',
        f.ref.createdById || org.userId,
        adminName,
        f.ref.createdDate ? isoDate(f.ref.createdDate) : now,
        f.ref.lastModifiedDate ? isoDate(f.ref.lastModifiedDate) : now,
      ),
    );
  }
  const zipFile = (await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })).toString('base64');
  return { fileProperties, messages, zipFile };
}

function props(fileName: string, fullName: string, type: string, id: string, userId: string, userName: string, created: string, modified: string): FileProperties {
  return {
    createdById: userId,
    createdByName: userName,
    createdDate: created,
    fileName,
    fullName,
    id,
    lastModifiedById: userId,
    lastModifiedByName: userName,
    lastModifiedDate: modified,
    manageableState: 'unmanaged',
    type,
  };
}

export function checkRetrieveStatus(org: LocalOrgContext, args: SoapTree): XmlValue {
  const id = argText(args, 'asyncProcessId') ?? '';
  const job = checkAsyncId(org, id, 'retrieve', '09S');
  const data = job.data as RetrieveJob;
  const includeZip = argBool(args, 'includeZip', true);
  return {
    done: data.done,
    errorMessage: data.errorMessage,
    errorStatusCode: data.errorStatusCode,
    fileProperties: data.done ? (data.fileProperties as unknown as XmlValue[]) : undefined,
    id: job.id,
    messages: data.done ? (data.messages as unknown as XmlValue[]) : undefined,
    status: data.status,
    success: data.status === 'Succeeded',
    zipFile: data.done && includeZip ? data.zipFile : undefined,
  };
}

export type { FileProperties };
