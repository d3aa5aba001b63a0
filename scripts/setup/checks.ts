/**
 * The doctor's checks, as data: each one {id, title, run(ctx)} → {status, message, fix?}. A check that
 * `omni setup`'s own later stages would repair says so (`repairedBySetup`): doctor alone fails on it,
 * setup's preflight downgrades it to a warning. A link we cannot know (queue members in roles or
 * groups) is a warning, never an ok.
 */
import { profileNameCandidates } from '../metadata/profiles.ts';
import { countText, messageText } from '../lib/messages.ts';
import type { CheckResult, CheckStatus, DoctorContext } from './context.ts';
import type { StaticResourceUse } from '../deploy/record-settings.ts';
import { commandPrefix } from '../lib/io.ts';

export type { CheckResult, CheckStatus };

export interface Check {
  id: string;
  title: string;
  /** Checks that read Omni objects are skipped (with the reason) when Omni-Channel is off. */
  needsOmni?: boolean;
  run(ctx: DoctorContext): Promise<CheckResult>;
}

const sample = (names: string[], max = 5) => names.slice(0, max).join(', ') + (names.length > max ? ` … (+${names.length - max})` : '');

/** API requests a setup run spends, roughly (see the limits check). */
export function estimateSetupRequests(components: number, agents: number): number {
  // doctor/plan/verify reads ≈ 60, deploy polling ≈ 1 per 10 components, agent reads per 2,000-row page
  // (three passes: assign plan, apply, verify) and writes per 200-record collection (a move is two).
  return 60 + Math.ceil(components / 10) + 3 * Math.ceil(agents / 2000) + 2 * Math.ceil(agents / 200);
}

/**
 * The checks that concern what is being deployed: \`omni deploy\` runs them too (same id, message and fix)
 * and refuses to deploy when one fails, unless the deployment itself repairs it.
 */
/**
 * The record-settings check's failure for StaticResources the spec names that are neither in the project
 * nor in the org, each located: \`omni deploy\` refuses with this same finding (it finds the names in the
 * queries it runs anyway, so it does not run the whole check).
 */
export function unknownStaticResourcesResult(unknown: readonly StaticResourceUse[]): CheckResult & { message: string; fix: string } {
  const listed = unknown.map((u) => messageText('doctor-checks', 'record-settings.unknownStaticResource.item', [`${u.file}${u.line ? `:${u.line}:${u.column ?? 1}` : ''}`, u.name, u.where]));
  return {
    status: 'fail',
    message: countText('doctor-checks', 'record-settings.unknownStaticResource', unknown.length, [unknown.length, listed.join('; ')]),
    fix: messageText('doctor-checks', 'record-settings.fix.unknownStaticResource'),
    details: { unknown },
  };
}

export const DEPLOY_CHECK_IDS: ReadonlySet<string> = new Set(['api-version', 'omni-enabled', 'omni-features']);

export const CHECKS: Check[] = [
  {
    id: 'api-version',
    get title() {
      return messageText('doctor-checks', 'api-version.title');
    },
    async run(ctx) {
      // @salesforce/core's answer: the version learnt when connecting (or cached with the sf login), else GET /services/data.
      const max = Number(await ctx.session.connection.retrieveMaxApiVersion());
      const needed = ctx.source.sourceApiVersion ? Number(ctx.source.sourceApiVersion) : null;
      if (needed !== null && max < needed) {
        // The catalogue's ApiVersionNotServed, as every org command reports a version the org does not serve.
        const { notServedError, servedApiVersions } = await import('../org/api-version.ts');
        const min = (await servedApiVersions(ctx.session.instanceUrl))?.min ?? max;
        const error = notServedError(ctx.session.label, needed.toFixed(1), { kind: 'sourceApiVersion' }, { min, max });
        return { status: 'fail', message: error.message, fix: error.actions.join(' '), details: { maxApiVersion: max, sourceApiVersion: needed, error: error.name } };
      }
      const host = new URL(ctx.session.instanceUrl).host;
      const message = needed ? messageText('doctor-checks', 'api-version.ok.source', [max.toFixed(1), host, needed.toFixed(1)]) : messageText('doctor-checks', 'api-version.ok', [max.toFixed(1), host]);
      return { status: 'ok', message, details: { maxApiVersion: max, sourceApiVersion: needed } };
    },
  },
  {
    id: 'org-type',
    get title() {
      return messageText('doctor-checks', 'org-type.title');
    },
    async run(ctx) {
      const i = ctx.info;
      if (i.orgType === 'production') {
        return { status: 'warn', message: messageText('doctor-checks', 'org-type.production', [i.name, i.orgId, i.orgType, i.organizationType]), fix: messageText('doctor-checks', 'org-type.fix.production'), details: { orgType: i.orgType } };
      }
      if (i.orgType === 'scratch' && i.trialExpirationDate) {
        const days = Math.ceil((Date.parse(i.trialExpirationDate) - Date.now()) / 86_400_000);
        if (days <= 1) return { status: 'warn', message: countText('doctor-checks', 'org-type.expiring', Math.max(days, 0), [i.name, i.orgId, i.orgType, i.organizationType, Math.max(days, 0)]), fix: messageText('doctor-checks', 'org-type.fix.expiring'), details: { orgType: i.orgType } };
        return { status: 'ok', message: countText('doctor-checks', 'org-type.scratch', days, [i.name, i.orgId, i.orgType, i.organizationType, days]), details: { orgType: i.orgType } };
      }
      return { status: 'ok', message: messageText('doctor-checks', 'org-type.ok', [i.name, i.orgId, i.orgType, i.organizationType]), details: { orgType: i.orgType } };
    },
  },
  {
    id: 'omni-enabled',
    get title() {
      return messageText('doctor-checks', 'omni-enabled.title');
    },
    async run(ctx) {
      if (ctx.info.omniEnabled) return { status: 'ok', message: messageText('doctor-checks', 'omni-enabled.ok') };
      const enables = ctx.source.settings?.enableOmniChannel === true;
      return {
        status: 'fail',
        message: enables ? messageText('doctor-checks', 'omni-enabled.off.deployTurnsOn') : messageText('doctor-checks', 'omni-enabled.off'),
        fix: enables ? messageText('doctor-checks', 'omni-enabled.fix.deploy', [commandPrefix(), commandPrefix()]) : messageText('doctor-checks', 'omni-enabled.fix'),
        repairedBySetup: enables ? 'deploy' : undefined,
      };
    },
  },
  {
    id: 'omni-features',
    get title() {
      return messageText('doctor-checks', 'omni-features.title');
    },
    needsOmni: true,
    async run(ctx) {
      const needs: Array<{ setting: string; why: string }> = [];
      if (ctx.source.usesSkills) needs.push({ setting: 'enableOmniSkillsRouting', why: messageText('doctor-checks', 'omni-features.why.skills') });
      if (ctx.source.usesStatusBasedCapacity) needs.push({ setting: 'enableOmniStatusCapModel', why: messageText('doctor-checks', 'omni-features.why.statusBased') });
      if (!needs.length) return { status: 'ok', message: messageText('doctor-checks', 'omni-features.notUsed') };
      let org: Record<string, unknown> | undefined;
      try {
        org = (await ctx.session.connection.metadata.read('OmniChannelSettings', 'OmniChannel')) as unknown as Record<string, unknown>;
      } catch (error) {
        return { status: 'warn', message: messageText('doctor-checks', 'omni-features.unreadable', [(error as Error).message, needs.map((n) => n.setting).join(', ')]), fix: messageText('doctor-checks', 'omni-features.fix.unreadable') };
      }
      const missing = needs.filter((n) => String(org?.[n.setting]) !== 'true');
      if (!missing.length) return { status: 'ok', message: messageText('doctor-checks', 'omni-features.ok', [needs.map((n) => n.setting).join(' and ')]) };
      const deployed = missing.every((n) => ctx.source.settings?.[n.setting] === true);
      return {
        status: 'fail',
        message: messageText('doctor-checks', 'omni-features.off', [missing.map((n) => messageText('doctor-checks', 'omni-features.off.item', [n.setting, n.why])).join('; ')]),
        fix: deployed ? messageText('doctor-checks', 'omni-features.fix.deploy', [commandPrefix(), commandPrefix()]) : messageText('doctor-checks', 'omni-features.fix', [missing.map((n) => `<${n.setting}>true</${n.setting}>`).join(' and ')]),
        repairedBySetup: deployed ? 'deploy' : undefined,
      };
    },
  },
  {
    id: 'api-limits',
    get title() {
      return messageText('doctor-checks', 'api-limits.title');
    },
    async run(ctx) {
      // Every REST answer carries the day's usage (Sforce-Limit-Info, kept by jsforce): no /limits call when
      // the session has made one already (the org description has).
      const usage = (ctx.session.connection as unknown as { limitInfo?: { apiUsage?: { used: number; limit: number } } }).limitInfo?.apiUsage;
      const daily = usage
        ? { Max: usage.limit, Remaining: Math.max(0, usage.limit - usage.used) }
        : ((await ctx.session.connection.request(`/services/data/v${ctx.session.connection.getApiVersion()}/limits`)) as Record<string, { Max: number; Remaining: number }>).DailyApiRequests;
      if (!daily) return { status: 'warn', message: messageText('doctor-checks', 'api-limits.unreported'), fix: messageText('doctor-checks', 'api-limits.fix.unreported') };
      let agents = ctx.desired ? ctx.desired.users.length + ctx.desired.profiles.length : 0;
      if (ctx.info.omniEnabled) agents = Math.max(agents, (await ctx.agents()).agents.length);
      const estimate = estimateSetupRequests(ctx.source.componentCount, agents);
      const details = { remaining: daily.Remaining, max: daily.Max, estimate, components: ctx.source.componentCount, agents };
      const components = countText('doctor-checks', 'count.component', ctx.source.componentCount, [ctx.source.componentCount]);
      const text = messageText('doctor-checks', 'api-limits.left', [daily.Remaining.toLocaleString('en-US'), daily.Max.toLocaleString('en-US'), estimate, components, countText('doctor-checks', 'count.agent', agents, [agents])]);
      if (daily.Remaining < estimate) return { status: 'fail', message: text, fix: messageText('doctor-checks', 'api-limits.fix.exhausted'), details };
      if (daily.Remaining < estimate * 10 || daily.Remaining < daily.Max * 0.1) return { status: 'warn', message: text, fix: messageText('doctor-checks', 'api-limits.fix.low'), details };
      return { status: 'ok', message: text, details };
    },
  },
  {
    id: 'assignment-overlap',
    get title() {
      return messageText('doctor-checks', 'assignment-overlap.title');
    },
    async run(ctx) {
      if (!ctx.desired) return { status: 'skip', message: messageText('doctor-checks', 'assignment-overlap.noFile') };
      const { formatOrigin } = await import('../assign/config.ts');
      const xmlProfiles = new Map<string, { config: string; file: string | null }>();
      const xmlUsers = new Map<string, { config: string; file: string | null }>();
      for (const c of ctx.source.configs.values()) {
        // `admin` in the XML is the profile an assignment file calls "System Administrator": key by every name it may mean.
        for (const p of c.profiles) for (const name of profileNameCandidates(p)) xmlProfiles.set(name, { config: c.name, file: c.file });
        for (const u of c.users) xmlUsers.set(u.toLowerCase(), { config: c.name, file: c.file });
      }
      const conflicts: string[] = [];
      for (const p of ctx.desired.profiles) {
        const xml = xmlProfiles.get(p.profile.toLowerCase());
        if (xml && xml.config.toLowerCase() !== p.config.toLowerCase()) conflicts.push(messageText('doctor-checks', 'assignment-overlap.profile', [p.profile, xml.config, xml.file, p.config, formatOrigin(p.origin)]));
      }
      const users = new Map<string, string>();
      for (const u of ctx.desired.users) if (u.kind === 'username') users.set(u.value.toLowerCase(), u.config);
      if (ctx.info.omniEnabled) for (const a of (await ctx.agents()).agents) if (a.fileConfig) users.set(a.username.toLowerCase(), a.fileConfig);
      for (const [username, config] of users) {
        const xml = xmlUsers.get(username);
        if (xml && xml.config.toLowerCase() !== config.toLowerCase()) conflicts.push(messageText('doctor-checks', 'assignment-overlap.user', [username, xml.config, xml.file, config]));
      }
      if (conflicts.length) {
        return {
          status: 'fail',
          message: countText('doctor-checks', 'assignment-overlap.conflicts', conflicts.length, [conflicts.length, ctx.assignmentsFile, `${conflicts.slice(0, 3).join('; ')}${conflicts.length > 3 ? ' …' : ''}`]),
          fix: messageText('doctor-checks', 'assignment-overlap.fix'),
          details: { conflicts },
        };
      }
      const profiles = countText('doctor-checks', 'count.profile', xmlProfiles.size, [xmlProfiles.size]);
      return { status: 'ok', message: messageText('doctor-checks', 'assignment-overlap.ok', [profiles, countText('doctor-checks', 'count.user', xmlUsers.size, [xmlUsers.size])]) };
    },
  },
  {
    id: 'record-settings',
    get title() {
      return messageText('doctor-checks', 'record-settings.title');
    },
    needsOmni: true,
    async run(ctx) {
      const { loadRecordSettings, planRecordSettings, unresolvedStaticResources, formatRecordChange } = await import('../deploy/record-settings.ts');
      const desired = await loadRecordSettings(ctx.source.projectRoot);
      if (desired.diagnostics.some((d) => d.severity === 'error')) return { status: 'skip', message: messageText('doctor-checks', 'record-settings.specInvalid') };
      if (!desired.settings.length) return { status: 'ok', message: messageText('doctor-checks', 'record-settings.none') };
      const notes = [...new Set(desired.settings.flatMap((s) => s.notes))];
      const noteText = notes.length ? ` ${notes.join(' ')}` : '';
      const unknown = await unresolvedStaticResources(ctx.session.connection, desired);
      if (unknown.length) return unknownStaticResourcesResult(unknown);
      const records = await planRecordSettings(ctx.session.connection, desired);
      // A record the org lacks is one the deploy creates when the project holds its component (a new
      // org: warn, in doctor as in setup); otherwise nothing will create it (fail, whatever runs next).
      const { TYPE_MAPPINGS } = await import('../yaml-spec/mapping.ts');
      const typeOf = new Map(desired.settings.map((s) => [`${s.sobject}:${s.fullName.toLowerCase()}`, TYPE_MAPPINGS.find((m) => m.specKey === s.section)?.type]));
      const inProject = (r: (typeof records)[number]) => ctx.source.components.has(`${typeOf.get(`${r.sobject}:${r.fullName.toLowerCase()}`)}:${r.fullName.toLowerCase()}`);
      const absent = records.filter((r) => r.action === 'missing' && !inProject(r));
      const created = records.filter((r) => r.action === 'missing' && inProject(r));
      const differ = records.filter((r) => r.action === 'update');
      const located = (r: (typeof records)[number]) => {
        const at = `${r.keys[0].file}${r.keys[0].line ? `:${r.keys[0].line}:${r.keys[0].column ?? 1}` : ''}`;
        return messageText('doctor-checks', 'record-settings.absent.item', [r.fullName, r.sobject, at]);
      };
      const createdText = created.length ? ` ${countText('doctor-checks', 'record-settings.afterDeploy', created.length, [created.length, sample(created.map((r) => r.fullName), 3)])}` : '';
      if (absent.length) {
        return {
          status: 'fail',
          message: countText('doctor-checks', 'record-settings.absent', absent.length, [absent.length, sample(absent.map(located), 3), createdText]),
          fix: messageText('doctor-checks', 'record-settings.fix.absent', [commandPrefix()]),
          details: { records: [...absent, ...differ, ...created], notes },
        };
      }
      if (differ.length) {
        return {
          status: 'fail',
          message: countText('doctor-checks', 'record-settings.differ', differ.length, [
            differ.length,
            sample(differ.map((r) => messageText('doctor-checks', 'record-settings.differ.item', [r.fullName, r.changes.map(formatRecordChange).join(', ')])), 3),
            `${createdText}${noteText}`,
          ]),
          fix: messageText('doctor-checks', 'record-settings.fix', [commandPrefix(), commandPrefix(), commandPrefix()]),
          repairedBySetup: 'deploy',
          details: { records: [...differ, ...created], notes },
        };
      }
      if (created.length) {
        return {
          status: 'warn',
          message: `${createdText.trim()}${noteText}`,
          fix: messageText('doctor-checks', 'record-settings.fix.afterDeploy', [commandPrefix(), commandPrefix()]),
          details: { records: created, notes },
        };
      }
      return { status: 'ok', message: countText('doctor-checks', 'record-settings.ok', records.length, [records.length, noteText]), details: { notes } };
    },
  },
  {
    id: 'presence-configuration',
    get title() {
      return messageText('doctor-checks', 'presence-configuration.title');
    },
    needsOmni: true,
    async run(ctx) {
      const view = await ctx.agents();
      if (!ctx.desired) return { status: 'skip', message: messageText('doctor-checks', 'presence-configuration.noFile'), fix: messageText('doctor-checks', 'presence-configuration.fix.noFile') };
      const none = view.agents.filter((a) => a.orgConfig === null);
      const differ = view.agents.filter((a) => a.orgConfig !== null && a.fileConfig !== null && a.orgConfig.toLowerCase() !== a.fileConfig.toLowerCase());
      const details = { selected: view.agents.length, withoutConfiguration: none.map((a) => a.username), differing: differ.map((a) => ({ username: a.username, org: a.orgConfig, file: a.fileConfig })), unknown: view.unknown };
      const file = ctx.assignmentsFile;
      if (none.length) {
        return {
          status: 'fail',
          message: countText('doctor-checks', 'presence-configuration.none', none.length, [none.length, view.agents.length, sample(none.map((a) => a.username))]),
          fix: messageText('doctor-checks', 'fix.assignApply', [commandPrefix(), file]),
          repairedBySetup: 'assign',
          details,
        };
      }
      if (differ.length || view.unknown.length) {
        const parts = [];
        if (differ.length) {
          const listed = sample(differ.map((a) => messageText('doctor-checks', 'presence-configuration.differ.item', [a.username, a.orgConfig, a.fileConfig])), 3);
          parts.push(countText('doctor-checks', 'presence-configuration.differ', differ.length, [differ.length, listed]));
        }
        if (view.unknown.length) parts.push(messageText('doctor-checks', 'presence-configuration.unknown', [sample(view.unknown, 3)]));
        return { status: 'warn', message: parts.join('; ') + '.', fix: messageText('doctor-checks', 'presence-configuration.fix.plan', [commandPrefix(), file]), repairedBySetup: differ.length && !view.unknown.length ? 'assign' : undefined, details };
      }
      return { status: 'ok', message: countText('doctor-checks', 'presence-configuration.ok', view.agents.length, [view.agents.length]), details };
    },
  },
  {
    id: 'status-access',
    get title() {
      return messageText('doctor-checks', 'status-access.title');
    },
    needsOmni: true,
    async run(ctx) {
      const { checkAccess } = await import('../assign/access.ts');
      const report = await checkAccess(ctx.api, ctx.desired ?? undefined);
      const blocked = report.agents.filter((a) => !a.canGoOnline);
      const unusable = report.agents.filter((a) => a.unusableReferenced.length);
      const details = { agents: report.summary.agents, cannotGoOnline: blocked.map((a) => a.username), unusableReferenced: unusable.map((a) => ({ username: a.username, statuses: a.unusableReferenced })) };
      const granting = ctx.source.grants.filter((g) => g.statuses.some((s) => ctx.source.statuses.get(s) === true));
      if (!report.summary.agents) {
        return { status: 'warn', message: messageText('doctor-checks', 'status-access.nobody'), fix: ctx.assignmentsFile ? messageText('doctor-checks', 'fix.assignApply', [commandPrefix(), ctx.assignmentsFile]) : messageText('doctor-checks', 'fix.passAssignments'),
          repairedBySetup: 'assign',
          details,
        };
      }
      if (blocked.length) {
        const grantSets = granting.filter((g) => g.userAssignable).map((g) => g.name);
        return {
          status: 'fail',
          message: countText('doctor-checks', 'status-access.blocked', blocked.length, [blocked.length, report.summary.agents, sample(blocked.map((a) => a.username))]),
          fix: grantSets.length ? messageText('doctor-checks', 'status-access.fix.grantSet', [grantSets.join(' or '), grantSets[0], commandPrefix()]) : messageText('doctor-checks', 'status-access.fix.grantStatus'),
          repairedBySetup: grantSets.length ? 'grant' : undefined,
          details,
        };
      }
      if (unusable.length) {
        return {
          status: 'warn',
          message: countText('doctor-checks', 'status-access.unusable', unusable.length, [
            unusable.length,
            sample(unusable.map((a) => messageText('doctor-checks', 'status-access.unusable.item', [a.username, a.unusableReferenced.map((u) => u.status).join(', ')])), 3),
          ]),
          fix: messageText('doctor-checks', 'status-access.fix.unusable'),
          details,
        };
      }
      return { status: 'ok', message: countText('doctor-checks', 'status-access.ok', report.summary.agents, [report.summary.agents]), details };
    },
  },
  {
    id: 'routing',
    get title() {
      return messageText('doctor-checks', 'routing.title');
    },
    needsOmni: true,
    async run(ctx) {
      // The same analysis as omni graph and omni validate, with the org's counts.
      const { loadProjectDocuments } = await import('../deploy/project-docs.ts');
      const { analyzeRouting } = await import('../graph/analyze.ts');
      const { orgFacts } = await import('../graph/build.ts');
      const project = await loadProjectDocuments(ctx.source.projectRoot, []);
      const { graph } = analyzeRouting(project.documents, await orgFacts(ctx.api));
      const details = { problems: graph.problems.map(({ code, severity, message, hint }) => ({ code, severity, message, fix: hint })) };
      const warnings = graph.problems.filter((p) => p.severity === 'warning');
      const infos = graph.problems.length - warnings.length;
      if (warnings.length) {
        // Each finding is a sentence of its own: one per line under the count, and the fix of each
        // (the same fix once), never glued into one sentence.
        const header = countText('doctor-checks', 'routing.problems', warnings.length, [warnings.length, infos ? ` ${countText('doctor-checks', 'routing.problems.notes', infos, [infos])}` : '']);
        return {
          status: 'warn',
          message: [header, ...warnings.map((p) => `- ${p.message}`)].join('\n'),
          fix: [...new Set(warnings.map((p) => p.hint).filter((h): h is string => Boolean(h)))].join('\n') || undefined,
          // Queues and configurations get members and holders from the assign stage.
          ...(warnings.every((p) => p.code === 'QUEUE_WITHOUT_MEMBERS' || p.code === 'CONFIG_NOT_HELD') ? { repairedBySetup: 'assign' as const } : {}),
          details,
        };
      }
      const queueCount = graph.nodes.filter((n) => n.kind === 'queue').length;
      const queues = countText('doctor-checks', 'count.queue', queueCount, [queueCount]);
      // The summary claims only what the notes below it do not contradict: configurations held by no
      // user are counted, not called held.
      const unheld = graph.problems.filter((p) => p.code === 'CONFIG_NOT_HELD').length;
      const notes = countText('doctor-checks', 'count.note', infos, [infos]);
      const header = unheld
        ? messageText('doctor-checks', 'routing.ok.unheld', [queues, countText('doctor-checks', 'count.configuration', unheld, [unheld]), notes])
        : messageText('doctor-checks', 'routing.ok.notes', [queues, notes]);
      const message = infos ? [header, ...graph.problems.map((p) => `- ${p.message}`)].join('\n') : messageText('doctor-checks', 'routing.ok', [queues]);
      return { status: 'ok', message, details };
    },
  },
  {
    id: 'capacity',
    get title() {
      return messageText('doctor-checks', 'capacity.title');
    },
    needsOmni: true,
    async run(ctx) {
      const { checkCapacity } = await import('./capacity.ts');
      return checkCapacity(ctx);
    },
  },
];
