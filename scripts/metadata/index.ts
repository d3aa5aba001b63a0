/** The metadata core: registry, XML parsing/serialization, typed models, project files. */
export * from './registry.ts';
export { parseXml, localName, type XmlNode, type XmlParseResult } from './xml.ts';
export { parseMetadata, checkValue, type MetadataDocument, type ParseMetadataResult } from './document.ts';
export { serializeMetadata, escapeXml, canonicalOrder } from './serialize.ts';
export { toModel, fromModel, formatDouble, type ModelObject, type ModelValue } from './model.ts';
export * from './project.ts';
export { writeFileAtomic } from './write.ts';
