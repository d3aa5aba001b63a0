/**
 * The record-settings keys (notificationSound, transferDestinations) of the spec: the schema's ranges and
 * located errors, and spec value → sObject fields → spec value (what deploy writes and import reads back).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSpecText } from '../../scripts/yaml-spec/load.ts';
import { CHANNELS, PRESENCE_CONFIGURATIONS, type RecordFieldMapping } from '../../scripts/yaml-spec/mapping.ts';

const row = (mapping: { records?: RecordFieldMapping[] }, key: string) => mapping.records!.find((r) => r.key === key)!;
const pucSound = row(PRESENCE_CONFIGURATIONS, 'notificationSound');
const channelSound = row(CHANNELS, 'notificationSound');
const transfer = row(PRESENCE_CONFIGURATIONS, 'transferDestinations');

const specWith = (block: string) =>
  ['apiVersion: "66.0"', 'presenceConfigurations:', '  miaw:', '    label: miaw', '    capacity: 20', ...block.split('\n').map((l) => `    ${l}`)].join('\n');

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,10}(_[A-Za-z0-9]{1,5})?$/);

describe('spec schema of the record settings', () => {
  it('seconds 1–30 load; anything else is an error at the seconds line', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 200 }), (seconds) => {
        const text = specWith(`notificationSound:\n  staticResource: Omni_Chime\n  seconds: ${seconds}`);
        const loaded = loadSpecText(text, { file: 'config/omni-channel.yaml' });
        const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
        if (seconds >= 1 && seconds <= 30) expect(errors).toEqual([]);
        else expect(errors).toEqual([expect.objectContaining({ ruleId: 'SPEC-SCHEMA', line: 8, file: 'config/omni-channel.yaml' })]);
      }),
    );
  });

  it('transfer destinations take any or selected; an unknown kind or word is located', () => {
    const bad = loadSpecText(specWith('transferDestinations:\n  queues: some\n  agents: any'), { file: 'spec.yaml' });
    expect(bad.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.message])).toEqual([
      [7, expect.stringContaining('queues')],
      [8, 'Unknown key "agents" in presenceConfigurations.miaw.transferDestinations.'],
    ]);
    expect(loadSpecText(specWith('transferDestinations: {}'), { file: 'spec.yaml' }).diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it('the transfer flags need API 61.0: an older project gets a SPEC-VERSION error at the key', () => {
    const loaded = loadSpecText(specWith('transferDestinations: { queues: selected }').replace('66.0', '60.0'), { file: 'spec.yaml' });
    expect(loaded.diagnostics).toContainEqual(expect.objectContaining({ ruleId: 'SPEC-VERSION', line: 6, message: expect.stringContaining('needs API 61.0') }));
  });
});

describe('spec value ⇄ record fields', () => {
  it('notificationSound: fields → value → fields is the identity (presence configuration and channel)', () => {
    fc.assert(
      fc.property(fc.option(name, { nil: undefined }), fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }), (staticResource, seconds) => {
        const value = { ...(staticResource ? { staticResource } : {}), ...(seconds ? { seconds } : {}) };
        const fields = pucSound.toFields(value);
        expect(fields).toEqual({ CustomSoundId: staticResource ?? null, SoundLength: seconds ?? null });
        // Both fields empty is the org's default: nothing to write into the spec.
        expect(pucSound.fromFields(fields)).toEqual(Object.keys(value).length ? value : undefined);
        const channel = channelSound.toFields(value);
        expect(channel.DoesOverridePresenceAudio).toBe(true);
        expect(channelSound.fromFields(channel)).toEqual(value);
        expect(channelSound.fromFields({ ...channel, DoesOverridePresenceAudio: false })).toBeUndefined();
      }),
    );
  });

  it('a channel\'s notificationSound: false turns the override off and leaves the sound fields alone', () => {
    expect(channelSound.toFields(false)).toEqual({ DoesOverridePresenceAudio: false });
    // Off is the default: nothing to write back into the spec.
    expect(channelSound.fromFields({ DoesOverridePresenceAudio: false, CustomSoundId: 'Omni_Chime', SoundLength: 4 })).toBeUndefined();
    const loaded = loadSpecText(['apiVersion: "66.0"', 'channels:', '  Chat:', '    label: Chat', '    relatedEntityType: Lead', '    notificationSound: false'].join('\n'), { file: 'spec.yaml' });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // A presence configuration has no override to turn off.
    expect(loadSpecText(specWith('notificationSound: false'), { file: 'spec.yaml' }).diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it('transferDestinations: any = true, selected = false; all three any is the default and reads back as absent', () => {
    const word = fc.constantFrom('any', 'selected');
    fc.assert(
      fc.property(word, word, word, (queues, flows, profiles) => {
        const value = { queues, flows, profiles };
        const fields = transfer.toFields(value);
        expect(fields).toEqual({
          OptionsIsAllowAnyDestinationQueueForTransferEnabled: queues === 'any',
          OptionsIsAllowAnyDestinationFlowForTransferEnabled: flows === 'any',
          OptionsIsAllowAnyDestinationProfileForTransferEnabled: profiles === 'any',
        });
        const restricted = [queues, flows, profiles].includes('selected');
        expect(transfer.fromFields(fields)).toEqual(restricted ? value : undefined);
        expect(transfer.notes!(value, 'miaw')).toHaveLength(restricted ? 1 : 0);
      }),
    );
  });

  it('a partial transferDestinations writes only the kinds it names (the others are left alone)', () => {
    expect(transfer.toFields({ flows: 'selected' })).toEqual({ OptionsIsAllowAnyDestinationFlowForTransferEnabled: false });
  });
});
