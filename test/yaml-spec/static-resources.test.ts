/**
 * The sounds' project lookup (findProjectStaticResources): a StaticResource's content is a file or, for an
 * archive expanded in source (SDR's mixedContent layout), a folder `staticresources/Name/` beside
 * `Name.resource-meta.xml`; the folder is content, so nothing inside it is taken for another resource.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProjectStaticResources } from '../../scripts/yaml-spec/static-resources.ts';

const root = mkdtempSync(join(tmpdir(), 'omni-static-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('findProjectStaticResources', () => {
  it('finds a file resource and a folder resource, and nothing inside the folder', async () => {
    const dir = join(root, 'force-app/main/default/staticresources');
    mkdirSync(join(dir, 'Pack/staticresources'), { recursive: true });
    const meta = '<?xml version="1.0" encoding="UTF-8"?>\n<StaticResource xmlns="http://soap.sforce.com/2006/04/metadata"><cacheControl>Private</cacheControl><contentType>application/zip</contentType></StaticResource>\n';
    writeFileSync(join(dir, 'Chime.wav'), 'RIFF');
    writeFileSync(join(dir, 'Chime.resource-meta.xml'), meta);
    writeFileSync(join(dir, 'Pack.resource-meta.xml'), meta);
    // Files of the archive, one of them shaped like a resource of its own.
    writeFileSync(join(dir, 'Pack/staticresources/Inner.resource-meta.xml'), meta);
    writeFileSync(join(dir, 'Pack/staticresources/Inner.resource'), 'x');
    const found = await findProjectStaticResources([join(root, 'force-app')]);
    expect(Object.fromEntries(found)).toEqual({ chime: join(dir, 'Chime.wav'), pack: join(dir, 'Pack') });
  });
});
