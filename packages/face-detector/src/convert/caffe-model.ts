import { importOptional, ModelFormatError } from '@face-liveness/core';
import type Protobuf from 'protobufjs';

// The part of caffe.proto (BVLC/SSD) a .caffemodel's weights need: NetParameter.layer (100),
// LayerParameter name/type/bottom/top/blobs (1/2/3/4/7), BlobProto shape (7) or legacy
// num/channels/height/width (1-4), data (5, packed floats); V1 `layers` (2) only to reject it.
const packed = { packed: true };
const { default: protobuf } = await importOptional<{ default: typeof Protobuf }>(
  'protobufjs',
  'Converting models (@face-liveness/face-detector/convert)',
  () => import('protobufjs'),
);
const root = protobuf.Root.fromJSON({
  nested: {
    caffe: {
      nested: {
        NetParameter: {
          fields: {
            name: { type: 'string', id: 1 },
            layers: { rule: 'repeated', type: 'bytes', id: 2 },
            layer: { rule: 'repeated', type: 'LayerParameter', id: 100 },
          },
        },
        LayerParameter: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'string', id: 2 },
            bottom: { rule: 'repeated', type: 'string', id: 3 },
            top: { rule: 'repeated', type: 'string', id: 4 },
            blobs: { rule: 'repeated', type: 'BlobProto', id: 7 },
          },
        },
        BlobProto: {
          fields: {
            num: { type: 'int32', id: 1 },
            channels: { type: 'int32', id: 2 },
            height: { type: 'int32', id: 3 },
            width: { type: 'int32', id: 4 },
            data: { rule: 'repeated', type: 'float', id: 5, options: packed },
            shape: { type: 'BlobShape', id: 7 },
          },
        },
        BlobShape: { fields: { dim: { rule: 'repeated', type: 'int64', id: 1, options: packed } } },
      },
    },
  },
});
const NetParameter = root.lookupType('caffe.NetParameter');

/** One learned blob of a Caffe layer. */
export interface CaffeBlob {
  dims: number[];
  data: Float32Array;
}

/** A layer's weights as stored in a .caffemodel. */
export interface CaffeWeights {
  name: string;
  type: string;
  blobs: CaffeBlob[];
}

interface DecodedBlob {
  num?: number;
  channels?: number;
  height?: number;
  width?: number;
  data?: number[];
  shape?: { dim?: unknown[] };
}

/** Reads the learned blobs of every layer of a binary `.caffemodel`, by layer name. */
export function readCaffeModel(bytes: Uint8Array, what: string): Map<string, CaffeWeights> {
  let net: { layer?: { name?: string; type?: string; blobs?: DecodedBlob[] }[]; layers?: unknown[] };
  try {
    net = NetParameter.decode(bytes) as never;
  } catch (error) {
    throw new ModelFormatError(`${what} is not a Caffe model (.caffemodel): ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!net.layer?.length) {
    throw new ModelFormatError(
      net.layers?.length
        ? `${what} uses Caffe's old V1 layer format; upgrade it with Caffe's upgrade_net_proto_binary tool`
        : `${what} holds no layers; is it a .caffemodel file?`,
    );
  }
  const layers = new Map<string, CaffeWeights>();
  for (const layer of net.layer) {
    const blobs = (layer.blobs ?? []).map((b): CaffeBlob => {
      const dims = b.shape?.dim?.length
        ? b.shape.dim.map(Number)
        : [b.num || 1, b.channels || 1, b.height || 1, b.width || 1];
      const data = Float32Array.from(b.data ?? []);
      const size = dims.reduce((x, y) => x * y, 1);
      if (size !== data.length) {
        throw new ModelFormatError(
          `${what}: layer '${layer.name}' has a blob of shape [${dims}] with ${data.length} values`,
        );
      }
      return { dims, data };
    });
    layers.set(layer.name ?? '', { name: layer.name ?? '', type: layer.type ?? '', blobs });
  }
  return layers;
}

/** Writes layers' blobs as a binary `.caffemodel` (NetParameter with `layer` entries). */
export function writeCaffeModel(name: string, layers: CaffeWeights[]): Uint8Array {
  const message = NetParameter.fromObject({
    name,
    layer: layers.map((l) => ({
      name: l.name,
      type: l.type,
      blobs: l.blobs.map((b) => ({ shape: { dim: b.dims }, data: Array.from(b.data) })),
    })),
  });
  return NetParameter.encode(message).finish();
}
