export function writeFileAtomicSync(file: string, data: string | Uint8Array): void;
