/**
 * The deployment archive omni builds through SDR (scripts/deploy/sdr-deploy.ts, withArchiveSettings): every entry
 * reads back as its source file with JSZip's own reader (pako's inflate, not the zlib that wrote it); SDR's
 * static resource archives keep the bytes pako makes with their entries dated 1980-01-01, so the org sees an
 * unchanged folder as unchanged; and SDR's JSZip is left as it was found.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withArchiveSettings } from '../../scripts/deploy/sdr-deploy.ts';

const sdrRequire = createRequire(createRequire(import.meta.url).resolve('@salesforce/source-deploy-retrieve'));
const sdr = sdrRequire('@salesforce/source-deploy-retrieve') as typeof import('@salesforce/source-deploy-retrieve');
type Zip = { files: Record<string, { dir: boolean; async(type: 'nodebuffer'): Promise<Buffer> }> };
const JSZip = sdrRequire('jszip') as { loadAsync(data: Buffer): Promise<Zip>; defaults: { date: Date | null } };
const compressions = sdrRequire('jszip/lib/compressions.js') as { DEFLATE: unknown };

const dir = mkdtempSync(join(tmpdir(), 'omni-archive-'));
const root = join(dir, 'force-app/main/default');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONFIGS = 300;
mkdirSync(join(root, 'presenceUserConfigs'), { recursive: true });
for (let i = 0; i < CONFIGS; i++) {
  const name = `Generated_Config_${String(i).padStart(4, '0')}`;
  writeFileSync(
    join(root, 'presenceUserConfigs', `${name}.presenceUserConfig-meta.xml`),
    `<?xml version="1.0" encoding="UTF-8"?>\n<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n    <capacity>${(i % 20) + 1}</capacity>\n    <label>${name.repeat(1 + (i % 7))}</label>\n</PresenceUserConfig>\n`,
  );
}
mkdirSync(join(root, 'staticresources', 'Omni_Sound_Pack', 'sounds'), { recursive: true });
// 5,000 words in an arbitrary order (≈ 35 KB, several of JSZip's 16 KB chunks).
let seed = 1;
const words = ['chime', 'ring', 'omni', 'agent', 'queue', 'status', 'presence', 'config', 'capacity', 'routing'];
const text = Array.from({ length: 5000 }, () => words[((seed = (seed * 1103515245 + 12345) % 2 ** 31), Math.floor((seed / 2 ** 31) * 10))]).join(' ');
writeFileSync(join(root, 'staticresources', 'Omni_Sound_Pack', 'index.txt'), text);
writeFileSync(join(root, 'staticresources', 'Omni_Sound_Pack', 'sounds', 'chime.wav'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 251)));
writeFileSync(
  join(root, 'staticresources', 'Omni_Sound_Pack.resource-meta.xml'),
  '<?xml version="1.0" encoding="UTF-8"?>\n<StaticResource xmlns="http://soap.sforce.com/2006/04/metadata">\n    <cacheControl>Private</cacheControl>\n    <contentType>application/zip</contentType>\n</StaticResource>\n',
);

/** SDR's deployment archive of the folder, as its deploy builds it. */
async function archive(): Promise<Buffer> {
  const { zipBuffer } = await new sdr.MetadataConverter().convert(sdr.ComponentSet.fromSource(join(dir, 'force-app')), 'metadata', { type: 'zip' });
  return zipBuffer as Buffer;
}

describe('the deployment archive', () => {
  it('reads back entry by entry as the source files; the static resource archive is pako\'s, dated 1980-01-01; JSZip is restored', async () => {
    const deflate = compressions.DEFLATE;
    const zip = await JSZip.loadAsync(await withArchiveSettings(archive));
    expect(compressions.DEFLATE).toBe(deflate);
    expect(JSZip.defaults.date).toBeNull();

    const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
    expect(names.filter((n) => n.startsWith('presenceUserConfigs/'))).toHaveLength(CONFIGS);
    for (let i = 0; i < CONFIGS; i++) {
      const name = `Generated_Config_${String(i).padStart(4, '0')}`;
      const entry = await zip.files[`presenceUserConfigs/${name}.presenceUserConfig`]!.async('nodebuffer');
      expect(entry.equals(readFileSync(join(root, 'presenceUserConfigs', `${name}.presenceUserConfig-meta.xml`))), name).toBe(true);
    }

    // The folder's archive as pako writes it with the entry time fixed (what the org stored before).
    const previous = JSZip.defaults.date;
    JSZip.defaults.date = new Date(Date.UTC(1980, 0, 1));
    let expected: Zip;
    try {
      expected = await JSZip.loadAsync(await archive());
    } finally {
      JSZip.defaults.date = previous;
    }
    const pack = await zip.files['staticresources/Omni_Sound_Pack.resource']!.async('nodebuffer');
    expect(pack.equals(await expected.files['staticresources/Omni_Sound_Pack.resource']!.async('nodebuffer'))).toBe(true);
    const inner = await JSZip.loadAsync(pack);
    expect((await inner.files['sounds/chime.wav']!.async('nodebuffer')).equals(readFileSync(join(root, 'staticresources', 'Omni_Sound_Pack', 'sounds', 'chime.wav')))).toBe(true);
  });
});
