import { open } from 'node:fs/promises';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether the file starts with the HDF5 signature (read without h5wasm, so the loader can check it cheaply). */
export async function isHdf5File(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(8);
    const { bytesRead } = await file.read(head, 0, 8, 0);
    return bytesRead === 8 && HDF5_SIGNATURE.every((byte, i) => head[i] === byte);
  } finally {
    await file.close();
  }
}
