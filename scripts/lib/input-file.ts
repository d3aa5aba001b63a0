/**
 * Reading a file the user gave us (spec, assignment file, CSV, metadata XML, sfdx-project.json) the same
 * careful way everywhere: only a regular file (a named pipe would block, /dev/zero never ends, a directory
 * fails with a bare EISDIR), at most `maxBytes`, and decoded as it declares — UTF-8 (with or without BOM),
 * UTF-16 with a BOM, or for XML the `encoding` of its declaration — or refused at the first byte that is
 * not valid in that encoding. Nothing is ever decoded with replacement characters (U+FFFD).
 */
import { constants, closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { messageText } from './messages.ts';

/** Inputs larger than this are refused (50 MB: 100,000-row CSVs are ~5 MB). */
export const MAX_INPUT_BYTES = 50 * 1024 * 1024;

export type InputErrorKind = 'not-found' | 'not-regular' | 'too-large' | 'encoding' | 'unreadable';

/**
 * Why an input could not be read; `line`/`column` (1-based) are set for encoding errors. The message (what
 * the file is, after its path: "does not exist") and the hint come from messages/input.md when first read:
 * callers probe optional files, and a file that is not there costs no bundle load.
 */
export class InputFileError extends Error {
  readonly kind: InputErrorKind;
  readonly line?: number;
  readonly column?: number;
  private readonly hintText: () => string;
  constructor(kind: InputErrorKind, message: () => string, hint: () => string, position?: { line: number; column: number }) {
    super();
    Object.defineProperty(this, 'message', { get: message, configurable: true, enumerable: false });
    this.name = 'InputFileError';
    this.kind = kind;
    this.hintText = hint;
    this.line = position?.line;
    this.column = position?.column;
  }

  get hint(): string {
    return this.hintText();
  }
}

/** Any failure to read an input as an InputFileError: "cannot be read (reason)". */
export function unreadableInput(error: unknown): InputFileError {
  if (error instanceof InputFileError) return error;
  return new InputFileError(
    'unreadable',
    () => messageText('input', 'file.unreadable', [(error as Error)?.message ?? String(error)]),
    () => messageText('input', 'file.unreadable.hint'),
  );
}

export interface ReadInputOptions {
  /** Refuse files larger than this many bytes (default MAX_INPUT_BYTES). */
  maxBytes?: number;
  /** Honour the encoding named by an XML declaration (`<?xml version="1.0" encoding="ISO-8859-1"?>`). */
  xml?: boolean;
  /** readInputTextSync: do not follow a symbolic link (the open fails; see NO_FOLLOW). */
  noFollow?: boolean;
  /**
   * readInputTextSync: the caller's directory listing saw a regular file here (a Dirent's type). Its kind and
   * size are then not asked (no fstat) when one read gives it whole and the next says it ended; a read that
   * gives nothing, fills the buffer or fails asks them as without this (a folder, pipe or device put there
   * since the listing is refused the same way; a pipe or device never reads forever).
   */
  listedFile?: boolean;
}

// O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one (then fstat refuses it).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * The text of a regular file, decoded strictly. Throws InputFileError (never anything else for bad input);
 * its message reads after the file's name: "<file> is a named pipe, not a regular file".
 */
export async function readInputText(file: string, options: ReadInputOptions = {}): Promise<string> {
  const max = options.maxBytes ?? MAX_INPUT_BYTES;
  let handle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    throw openError(error);
  }
  try {
    const info = await handle.stat();
    checkKind(info, max);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(info.size - total + 1, 1 << 16), max + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > max) throw tooLarge(max);
    }
    // One read holds the whole file (the first chunk is sized for it): decoded in place, not copied again.
    return decodeInput(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total), options);
  } catch (error) {
    throw error instanceof InputFileError ? error : openError(error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Bytes of the synchronous reads, reused from one read to the next: a project read decodes thousands of small
 * files, and a fresh buffer per file (64 KB each, outside the V8 heap) made most of the garbage collection
 * and a good part of the peak memory of `omni validate` at 10,000 files (bench/RESULTS.md). The text is
 * decoded into a string before the next read, so nothing refers to these bytes afterwards.
 */
let scratch = Buffer.allocUnsafe(0);
/** A scratch buffer larger than this is not kept after the read (one big spec must not stay in memory). */
const SCRATCH_KEEP_BYTES = 1 << 20;
/** What a listed file is read into at first (see `listedFile`): metadata files are a few KB. */
const LISTED_READ_BYTES = 1 << 16;

/** Synchronous readInputText, for loaders that are synchronous. */
export function readInputTextSync(file: string, options: ReadInputOptions = {}): string {
  const max = options.maxBytes ?? MAX_INPUT_BYTES;
  let fd: number;
  try {
    fd = openSync(file, options.noFollow ? OPEN_FLAGS | NO_FOLLOW : OPEN_FLAGS);
  } catch (error) {
    throw openError(error);
  }
  let bytes = scratch;
  try {
    let total = 0;
    if (options.listedFile) {
      // Thousands of small listed files (omni validate): no fstat, and no Stats object, per file — its
      // syscall and ~0.5 KB of garbage each (bench/RESULTS.md, Validate at scale). A short read and then
      // an empty one are the file's end; anything else goes on below, kind and size asked.
      if (bytes.length < LISTED_READ_BYTES) bytes = Buffer.allocUnsafe(LISTED_READ_BYTES);
      const want = Math.min(bytes.length, max + 1);
      try {
        total = readSync(fd, bytes, 0, want, null);
        if (total > 0 && total < want) {
          const more = readSync(fd, bytes, total, want - total, null);
          // A plain view of the bytes read (Buffer#subarray makes a Buffer through its subclass constructor).
          if (more === 0) return decodeInput(new Uint8Array(bytes.buffer, bytes.byteOffset, total), options);
          total += more;
        }
      } catch (error) {
        // A folder or a device there now is named as such, as without `listedFile`.
        checkKind(fstatSync(fd), max);
        throw error;
      }
    }
    const info = fstatSync(fd);
    checkKind(info, max);
    // One byte more than the size: reading it tells a file that grew since fstat (read on until the end).
    if (bytes.length < info.size + 1) {
      const larger = Buffer.allocUnsafe(Math.min(Math.max(info.size + 1, 4096), max + 1));
      bytes.copy(larger, 0, 0, total);
      bytes = larger;
    }
    for (;;) {
      if (total === bytes.length) {
        const larger = Buffer.allocUnsafe(Math.min(bytes.length * 2, max + 1));
        bytes.copy(larger, 0, 0, total);
        bytes = larger;
      }
      const bytesRead = readSync(fd, bytes, total, bytes.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > max) throw tooLarge(max);
      // Exactly the size fstat gave, with room left for more: the end of the file (no second read to learn it).
      if (total === info.size && total < bytes.length) break;
    }
    return decodeInput(bytes.subarray(0, total), options);
  } catch (error) {
    throw error instanceof InputFileError ? error : openError(error);
  } finally {
    closeSync(fd);
    if (bytes.length <= SCRATCH_KEEP_BYTES) scratch = bytes;
  }
}

/** O_NOFOLLOW where the platform has it: opening a symbolic link then fails (ELOOP) instead of following it. */
export const NO_FOLLOW: number = constants.O_NOFOLLOW ?? 0;

function checkKind(info: { isFile(): boolean; isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; size: number }, max: number): void {
  if (!info.isFile()) {
    const what = () =>
      info.isDirectory()
        ? messageText('input', 'file.notRegular.directory')
        : info.isFIFO()
          ? messageText('input', 'file.notRegular.pipe')
          : info.isCharacterDevice() || info.isBlockDevice()
            ? messageText('input', 'file.notRegular.device')
            : info.isSocket()
              ? messageText('input', 'file.notRegular.socket')
              : messageText('input', 'file.notRegular.other');
    throw new InputFileError(
      'not-regular',
      () => messageText('input', 'file.notRegular', [what()]),
      () => messageText('input', 'file.notRegular.hint'),
    );
  }
  if (info.size > max) throw tooLarge(max);
}

function tooLarge(max: number): InputFileError {
  return new InputFileError(
    'too-large',
    () => messageText('input', 'file.tooLarge', [formatBytes(max)]),
    () => messageText('input', 'file.tooLarge.hint', [formatBytes(max)]),
  );
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MB` : `${n} bytes`;
}

function openError(error: unknown): InputFileError {
  const code = (error as NodeJS.ErrnoException)?.code;
  // ENOTDIR: a parent of the path is a file, so nothing can exist at the path.
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new InputFileError(
      'not-found',
      () => messageText('input', 'file.notFound'),
      () => messageText('input', 'file.notFound.hint'),
    );
  }
  if (code === 'EISDIR') {
    return new InputFileError(
      'not-regular',
      () => messageText('input', 'file.isDirectory'),
      () => messageText('input', 'file.isDirectory.hint'),
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new InputFileError(
      'unreadable',
      () => messageText('input', 'file.permission'),
      () => messageText('input', 'file.permission.hint'),
    );
  }
  if (code === 'ELOOP') {
    return new InputFileError(
      'unreadable',
      () => messageText('input', 'file.linkLoop'),
      () => messageText('input', 'file.linkLoop.hint'),
    );
  }
  return unreadableInput(code ? { message: code } : error);
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Bytes → text: a BOM decides (UTF-8, UTF-16LE/BE); else, with `xml`, the declaration's encoding; else UTF-8.
 * Throws InputFileError('encoding') located at the first byte that the encoding does not allow.
 */
export function decodeInput(bytes: Uint8Array, options: { xml?: boolean } = {}): string {
  if (bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2]) return decodeStrict(bytes.subarray(3), 'utf-8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeStrict(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeStrict(bytes.subarray(2), 'utf-16be');
  if (options.xml) {
    const declared = declaredXmlEncoding(bytes);
    if (declared && declared !== 'UTF-8' && !/^utf-?8$/i.test(declared)) return decodeDeclared(bytes, declared);
  }
  return decodeStrict(bytes, 'utf-8');
}

/**
 * XML bytes in the encoding their declaration names (other than UTF-8). Out of decodeInput, which every file read
 * calls: the messages' closures over `declared` would make each call allocate their context.
 */
function decodeDeclared(bytes: Uint8Array, declared: string): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(declared, { fatal: true });
  } catch {
    throw new InputFileError(
      'encoding',
      () => messageText('input', 'encoding.unsupported', [declared]),
      () => messageText('input', 'encoding.declareUtf8.hint'),
      { line: 1, column: 1 },
    );
  }
  if (decoder.encoding.startsWith('utf-16')) {
    throw new InputFileError(
      'encoding',
      () => messageText('input', 'encoding.noBom', [declared]),
      () => messageText('input', 'encoding.declareUtf8.hint'),
      { line: 1, column: 1 },
    );
  }
  return decodeStrict(bytes, decoder.encoding);
}

/** One decoder per encoding (a fatal, non-streaming TextDecoder keeps no state between calls): a project read decodes thousands of files. */
const decoders = new Map<string, TextDecoder>();

function decodeStrict(bytes: Uint8Array, encoding: string): string {
  try {
    let decoder = decoders.get(encoding);
    if (!decoder) decoders.set(encoding, (decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true })));
    return decoder.decode(bytes);
  } catch {
    throw undecodable(bytes, encoding);
  }
}

/**
 * The error for bytes `encoding` cannot decode, located at the first such byte. Out of decodeStrict, which every file
 * read calls: the messages' closures over `encoding` would make each call allocate their context.
 */
function undecodable(bytes: Uint8Array, encoding: string): InputFileError {
  const offset = encoding === 'utf-8' ? firstInvalidUtf8(bytes) : firstUndecodable(bytes, encoding);
  const position = positionOfByte(bytes, offset, encoding);
  const shown = Array.from(bytes.subarray(offset, Math.min(offset + (encoding === 'utf-8' ? 1 : 2), bytes.length)), (b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
  const name = encoding === 'utf-8' ? 'UTF-8' : encoding.toUpperCase();
  const latin1 = encoding === 'utf-8' && bytes[offset] >= 0x80;
  return new InputFileError(
    'encoding',
    () =>
      latin1
        ? messageText('input', 'encoding.invalid.latin1', [name, shown, position.line, position.column])
        : messageText('input', 'encoding.invalid', [name, shown, position.line, position.column]),
    () => (encoding === 'utf-8' ? messageText('input', 'encoding.invalid.utf8.hint') : messageText('input', 'encoding.invalid.hint', [name])),
    position,
  );
}

/** Byte offset of the first invalid UTF-8 sequence (Unicode 15 §3.9, Table 3-7: no overlongs, no surrogates). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

function firstUndecodable(bytes: Uint8Array, encoding: string): number {
  // Single-byte encodings: find the first byte with no mapping by decoding byte by byte.
  const decoder = new TextDecoder(encoding, { fatal: true });
  for (let i = 0; i < bytes.length; i++) {
    try {
      decoder.decode(bytes.subarray(i, i + 1));
    } catch {
      return i;
    }
  }
  return 0;
}

/** 1-based line and column (in characters) of a byte offset; lines end at LF (CRLF counts once). */
function positionOfByte(bytes: Uint8Array, offset: number, encoding: string): { line: number; column: number } {
  if (encoding !== 'utf-8') {
    let line = 1;
    let start = 0;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) (line++, (start = i + 1));
    return { line, column: offset - start + 1 };
  }
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) (line++, (start = i + 1));
  // Characters before the offset on this line (the prefix is valid UTF-8: count non-continuation bytes).
  let column = 1;
  for (let i = start; i < offset; i++) if ((bytes[i] & 0xc0) !== 0x80) column++;
  return { line, column };
}

/** The encoding named by an XML declaration at the very start of the bytes, if any. */
function declaredXmlEncoding(bytes: Uint8Array): string | undefined {
  // `<?xml` first, or there is no declaration to read (and nothing to copy).
  if (bytes[0] !== 0x3c || bytes[1] !== 0x3f || bytes[2] !== 0x78 || bytes[3] !== 0x6d || bytes[4] !== 0x6c) return undefined;
  // The declaration every Salesforce tool writes, compared byte by byte: no copy and no pattern per file.
  if (startsWithBytes(bytes, STANDARD_DECLARATION)) return 'UTF-8';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 200)).toString('latin1');
  const match = /^<\?xml\s[^?]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(head);
  return match?.[1];
}

/** `<?xml version="1.0" encoding="UTF-8"?>`, as bytes. */
const STANDARD_DECLARATION = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>', 'latin1');

function startsWithBytes(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

/**
 * Characters XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates) and U+FFFD, the
 * replacement character a wrong decoding leaves behind. Index of the first one in `text`, or -1.
 */
export function firstForbiddenCharacter(text: string): number {
  const match = FORBIDDEN.exec(text);
  return match ? match.index : -1;
}
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `U+0001` for the character at `index`, for messages (never the character itself: it may not print). */
export function describeCharacter(text: string, index: number): string {
  const code = text.codePointAt(index) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

