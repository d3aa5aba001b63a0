/**
 * What the server shares with the modules that plug into it (the SOAP Metadata API): the store,
 * the org's identity, an async job registry for deploy/retrieve ids, persistence and the Omni switch.
 */
import { randomBytes } from 'node:crypto';
import type { OrgStore } from './store.ts';
import { to18 } from './ids.ts';

export interface LocalOrgOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** JSON state file; undefined keeps the org in memory only. */
  stateFile?: string;
  /**
   * Without `stateFile`: the text of a state file (another org's `stateText()`) to start from, in memory — the
   * org as a restart from that file gives it (records, ids, credentials, what the Metadata API remembers);
   * request stats, async jobs and tokens other than the org's own start empty. Seeding options do not apply.
   */
  initialState?: string;
  /** Extra agents to seed (deterministic usernames seed.agent000001@omni.local …). */
  seedUsers?: number;
  /** Delay added to every request. */
  latencyMs?: number;
  /** Probability (0..1) that a request gets an injected fault. */
  faultRate?: number;
  /** Seed of the fault sequence: the same seed and requests give the same faults. */
  faultSeed?: number;
  /**
   * Features of a new org, each bringing its built-in service channel [F-21]: Voice (sfdc_phone),
   * Messaging (sfdc_livemessage), Chat (sfdc_liveagent). Default: all three.
   */
  features?: ReadonlyArray<'Voice' | 'Messaging' | 'Chat'>;
  /** Start with Omni-Channel off (a deploy of OmniChannelSettings.enableOmniChannel turns it on). */
  omniDisabled?: boolean;
  /**
   * Largest request body accepted (bytes; a larger one is answered 413). Default: 150 MB for Bulk API 2.0
   * uploads, 64 MB otherwise (see local-org/http.ts).
   */
  maxBodyBytes?: number;
  /** Access tokens expire after this many seconds (undefined: never), to exercise refresh. */
  tokenTtlSeconds?: number;
  /** Which kind of org to pretend to be (Organization.IsSandbox, OrganizationType, TrialExpirationDate). */
  orgType?: 'developer' | 'production' | 'sandbox' | 'scratch';
  /**
   * The org's daily API request allocation as /limits reports it (DailyApiRequests): `max` (default
   * 15,000) and what is `remaining` when the server starts (default: all of it). Remaining still counts
   * down by one per API request, as on a real org.
   */
  dailyApiRequests?: { max?: number; remaining?: number };
  /** One line per request: method, path (secrets stripped), status, ms. Never tokens. */
  log?: (line: string) => void;
}

export interface AsyncJob<T = unknown> {
  id: string;
  kind: string;
  createdAt: number;
  /** Owned by the module that created the job (status, results, …). */
  data: T;
}

/** Jobs that outlive one request (deploy, retrieve): ids with a real key prefix, looked up by later polls. */
export class JobRegistry {
  private readonly jobs = new Map<string, AsyncJob>();
  private counter = 0;

  /** `keyPrefix`: 0Af for deploys (DeployRequest), 09S for retrieves. */
  create<T>(kind: string, keyPrefix: string, data: T): AsyncJob<T> {
    this.counter += 1;
    const middle = randomBytes(3).toString('hex').slice(0, 5);
    const id = to18(`${keyPrefix}${middle}${String(this.counter).padStart(7, '0')}`.slice(0, 15));
    const job: AsyncJob<T> = { id, kind, createdAt: Date.now(), data };
    this.jobs.set(id, job as AsyncJob);
    return job;
  }

  get<T = unknown>(id: string): AsyncJob<T> | undefined {
    return (this.jobs.get(id) ?? this.jobs.get(to18(id))) as AsyncJob<T> | undefined;
  }

  list(kind?: string): AsyncJob[] {
    return [...this.jobs.values()].filter((j) => kind === undefined || j.kind === kind);
  }
}

export interface LocalOrgContext {
  store: OrgStore;
  options: LocalOrgOptions;
  orgId: string;
  userId: string;
  username: string;
  instanceUrl: string;
  jobs: JobRegistry;
  /** Mutable: the Metadata API sets it when OmniChannelSettings.enableOmniChannel is deployed. */
  omniEnabled: boolean;
  /** Writes the state file now (no-op for an in-memory org). */
  persist(): void;
}
