/**
 * omni plan's semantic comparison: an element the source leaves out equals its platform default. The defaults
 * asserted here come from the reference spec (§4 ServiceChannel: capacityModel is optional and capacity is
 * tab-based unless it says STATUS_BASED), not from the comparison code.
 */
import { describe, expect, it } from 'vitest';
import { diffDocuments, type SemNode } from '../../scripts/deploy/semantic.ts';

const leaf = (name: string, text: string): SemNode => ({ name, children: [], text });
const channel = (...children: SemNode[]): SemNode => ({ name: 'ServiceChannel', children: [leaf('label', 'Phone'), leaf('relatedEntityType', 'VoiceCall'), ...children] });

describe('plan: absent elements equal their platform default', () => {
  it('a built-in channel the org reports as TAB_BASED is unchanged when the source leaves capacityModel out', () => {
    expect(diffDocuments('ServiceChannel', channel(leaf('capacityModel', 'TAB_BASED')), channel())).toEqual([]);
  });

  it('STATUS_BASED in the org and nothing in the source is still a change (to the tab-based default)', () => {
    const changes = diffDocuments('ServiceChannel', channel(leaf('capacityModel', 'STATUS_BASED')), channel());
    expect(changes.map((c) => c.field)).toEqual(['capacityModel']);
    expect(changes[0].old).toBe('STATUS_BASED');
  });
});
