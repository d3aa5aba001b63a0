/**
 * The validator's built-in components agree with the local org's (local-org/FIDELITY.md F-21, F-22):
 * the same channels with the same routed objects and features, the same default configuration — two
 * tables kept apart on purpose (the local org must not share the product's facts), checked to agree.
 */
import { describe, expect, it } from 'vitest';
import { BUILT_IN_CHANNEL_FEATURES, BUILT_IN_COMPONENTS } from '../../scripts/validate/project-rules.ts';
import { BUILT_IN_CHANNELS, DEFAULT_PRESENCE_CONFIG } from '../../local-org/platform.ts';

describe('built-in components: validator and local org agree', () => {
  it('the same built-in channels, routed objects and features', () => {
    expect(BUILT_IN_COMPONENTS.ServiceChannel).toEqual(Object.fromEntries(BUILT_IN_CHANNELS.map((c) => [c.developerName, c.relatedEntity])));
    expect(BUILT_IN_CHANNEL_FEATURES).toEqual(Object.fromEntries(BUILT_IN_CHANNELS.map((c) => [c.developerName, c.feature])));
    expect(Object.keys(BUILT_IN_COMPONENTS.ServiceChannel).sort()).toEqual(['sfdc_liveagent', 'sfdc_livemessage', 'sfdc_phone']);
  });

  it('the same default presence configuration', () => {
    expect(Object.keys(BUILT_IN_COMPONENTS.PresenceUserConfig)).toEqual([DEFAULT_PRESENCE_CONFIG.developerName]);
  });
});
