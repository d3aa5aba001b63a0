/**
 * What doctor and setup need to know about the project's source, read once: presence configurations
 * (capacity, profile/user assignments), routing configurations (weight or percentage, skills), queues
 * (routing configuration and members), channels (capacity model), statuses (online = has channels),
 * permission sets/profiles (status grants) and OmniChannelSettings.
 */
import { loadProjectDocuments } from '../deploy/project-docs.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import type { TypeName } from '../metadata/registry.ts';
import { toModel, type ModelObject, type ModelValue } from '../metadata/model.ts';
import { serializeMetadata } from '../metadata/serialize.ts';
import { readStatusAccesses } from '../yaml-spec/status-access.ts';

export interface SourceConfig {
  name: string;
  capacity: number | null;
  profiles: string[];
  users: string[];
  file: string | null;
}

export interface SourceRouting {
  name: string;
  capacityWeight: number | null;
  capacityPercentage: number | null;
  skills: string[];
}

export interface SourceQueue {
  name: string;
  routingConfig: string | null;
  users: string[];
  publicGroups: string[];
  /** Roles (with or without subordinates): membership cannot be read from the source. */
  roles: string[];
  file: string | null;
}

export interface ProjectSource {
  projectRoot: string;
  sourceApiVersion: string | null;
  componentCount: number;
  /** Every component in the source, as `<metadata type>:<lower-cased full name>` (what a deploy creates). */
  components: Set<string>;
  configs: Map<string, SourceConfig>;
  routing: Map<string, SourceRouting>;
  queues: SourceQueue[];
  /** Status developer name → has channels (an online status). */
  statuses: Map<string, boolean>;
  /** Permission sets and profiles (registry grantsStatusAccess) → statuses they grant (enabled). */
  grants: Array<{
    type: string;
    name: string;
    statuses: string[];
    /** Can be assigned to an agent on top of what they hold (a permission set, not a profile). */
    userAssignable: boolean;
  }>;
  settings: Record<string, boolean> | null;
  usesSkills: boolean;
  usesStatusBasedCapacity: boolean;
  parseErrors: number;
}

const key = (s: string) => s.toLowerCase();

function list(value: ModelValue | undefined): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

function child(obj: ModelValue | undefined, name: string): ModelValue | undefined {
  return obj && typeof obj === 'object' && !Array.isArray(obj) ? (obj as ModelObject)[name] as ModelValue | undefined : undefined;
}

function num(value: ModelValue | undefined): number | null {
  return typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : null;
}

/** The project around `cwd`, or only `sourceDirs` of it (what a deploy sends), as the checks see it. */
export async function readProjectSource(cwd: string, sourceDirs: string[] = []): Promise<ProjectSource> {
  const project = await loadProjectDocuments(cwd, sourceDirs);
  const out: ProjectSource = {
    projectRoot: project.projectRoot,
    sourceApiVersion: project.sourceApiVersion ?? null,
    componentCount: project.documents.length,
    components: new Set(project.documents.map((d) => `${d.type.name}:${key(d.fullName)}`)),
    configs: new Map(),
    routing: new Map(),
    queues: [],
    statuses: new Map(),
    grants: [],
    settings: null,
    usesSkills: false,
    usesStatusBasedCapacity: false,
    parseErrors: project.diagnostics.filter((d) => d.severity === 'error').length,
  };
  for (const doc of project.documents) addDocument(out, doc);
  return out;
}

/**
 * What each type adds to the ProjectSource, by registry type name (a type without a reader adds nothing).
 * A table, not a switch on names: the compiler checks each key is a registry type.
 */
const READERS: { readonly [T in TypeName]?: (out: ProjectSource, doc: MetadataDocument, m: ModelObject) => void } = {
  PresenceUserConfig: (out, doc, m) => {
    const assignments = m.assignments as ModelValue | undefined;
    out.configs.set(key(doc.fullName), {
      name: doc.fullName,
      capacity: num(m.capacity as ModelValue),
      profiles: list(child(child(assignments, 'profiles'), 'profile')),
      users: list(child(child(assignments, 'users'), 'user')),
      file: doc.path ?? null,
    });
  },
  QueueRoutingConfig: (out, doc, m) => {
    const skills = list(m.skills as ModelValue).length ? (m.skills as ModelValue[]).flatMap((s) => list(child(s, 'skill'))) : [];
    if (skills.length) out.usesSkills = true;
    out.routing.set(key(doc.fullName), {
      name: doc.fullName,
      capacityWeight: num(m.capacityWeight as ModelValue),
      capacityPercentage: num(m.capacityPercentage as ModelValue),
      skills,
    });
    if (m.pausedCapacityWeight !== undefined || m.pausedCapacityPercentage !== undefined) out.usesStatusBasedCapacity = true;
  },
  Queue: (out, doc, m) => {
    const members = m.queueMembers as ModelValue | undefined;
    out.queues.push({
      name: doc.fullName,
      routingConfig: typeof m.queueRoutingConfig === 'string' ? m.queueRoutingConfig : null,
      users: list(child(child(members, 'users'), 'user')),
      publicGroups: list(child(child(members, 'publicGroups'), 'publicGroup')),
      roles: [
        ...list(child(child(members, 'roles'), 'role')),
        ...list(child(child(members, 'roleAndSubordinates'), 'roleAndSubordinate')),
        ...list(child(child(members, 'roleAndSubordinatesInternal'), 'roleAndSubordinateInternal')),
      ],
      file: doc.path ?? null,
    });
  },
  ServiceChannel: (out, _doc, m) => {
    if (m.capacityModel === 'STATUS_BASED' || m.statusField !== undefined) out.usesStatusBasedCapacity = true;
  },
  ServicePresenceStatus: (out, doc, m) => {
    out.statuses.set(doc.fullName, list(child(m.channels as ModelValue, 'channel')).length > 0);
  },
  OmniChannelSettings: (out, _doc, m) => {
    const settings: Record<string, boolean> = {};
    for (const [k, v] of Object.entries(m)) if (typeof v === 'boolean') settings[k] = v;
    out.settings = settings;
  },
};

function addDocument(out: ProjectSource, doc: MetadataDocument): void {
  const type = doc.type;
  if (type.grantsStatusAccess) {
    const statuses = readStatusAccesses(serializeMetadata(doc)).filter((a) => a.enabled).map((a) => a.status);
    out.grants.push({ type: type.name, name: doc.fullName, statuses, userAssignable: type.userAssignable === true });
    return;
  }
  READERS[type.name as TypeName]?.(out, doc, toModel(doc));
}
