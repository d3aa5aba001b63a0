/** In-memory Omni documents for graph tests: parsed from small source-format XML, with their paths. */
import { parseMetadata, type MetadataDocument } from '../../scripts/metadata/document.ts';
import { DEFAULT, NS } from '../validate/helpers.ts';

const DIR: Record<string, [string, string]> = {
  ServiceChannel: ['serviceChannels', 'serviceChannel'],
  ServicePresenceStatus: ['servicePresenceStatuses', 'servicePresenceStatus'],
  PresenceUserConfig: ['presenceUserConfigs', 'presenceUserConfig'],
  PresenceDeclineReason: ['presenceDeclineReasons', 'presenceDeclineReason'],
  QueueRoutingConfig: ['queueRoutingConfigs', 'queueRoutingConfig'],
  Queue: ['queues', 'queue'],
};

/** One document of `type` named `name` with the given child elements (one per line from line 3). */
export function doc(type: keyof typeof DIR, name: string, elements: string[]): MetadataDocument {
  const [dir, suffix] = DIR[type];
  const path = `${DEFAULT}/${dir}/${name}.${suffix}-meta.xml`;
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="${NS}">\n${elements.map((e) => `    ${e}`).join('\n')}\n</${type}>\n`;
  const parsed = parseMetadata(text, { path });
  if (!parsed.document) throw new Error(`test fixture ${path} does not parse: ${JSON.stringify(parsed.diagnostics)}`);
  return parsed.document;
}

export const channel = (name: string, entity: string) => doc('ServiceChannel', name, [`<label>${name}</label>`, `<relatedEntityType>${entity}</relatedEntityType>`]);
export const status = (name: string, channels: string[] = []) =>
  doc('ServicePresenceStatus', name, [...(channels.length ? [`<channels>${channels.map((c) => `<channel>${c}</channel>`).join('')}</channels>`] : []), `<label>${name}</label>`]);
export const config = (name: string, capacity: number, extra: string[] = []) => doc('PresenceUserConfig', name, [`<capacity>${capacity}</capacity>`, ...extra.filter((e) => !e.startsWith('<presence')), `<label>${name}</label>`, ...extra.filter((e) => e.startsWith('<presence'))]);
export const routing = (name: string, extra: string[] = ['<capacityWeight>1</capacityWeight>']) =>
  doc('QueueRoutingConfig', name, [...extra.filter((e) => e < '<l'), `<label>${name}</label>`, ...extra.filter((e) => e > '<l' && !e.startsWith('<s') && !e.startsWith('<u')), '<routingModel>MOST_AVAILABLE</routingModel>', '<routingPriority>1</routingPriority>', ...extra.filter((e) => e.startsWith('<s') || e.startsWith('<u'))]);
export const queue = (name: string, options: { routing?: string; objects?: string[]; members?: string } = {}) =>
  doc('Queue', name, [
    `<name>${name}</name>`,
    ...(options.members ? [`<queueMembers>${options.members}</queueMembers>`] : []),
    ...(options.routing ? [`<queueRoutingConfig>${options.routing}</queueRoutingConfig>`] : []),
    ...(options.objects ?? []).map((o) => `<queueSobject><sobjectType>${o}</sobjectType></queueSobject>`),
  ]);
