import * as grpc from '@grpc/grpc-js';
import { decodeProtobufRequest, ReceivedSpan } from '../register/otlp-receiver';

/**
 * A local OTLP/gRPC trace receiver: a real grpc-js server with the collector's TraceService/Export
 * method, taking the request bytes as they come and decoding them with the HTTP receiver's decoder.
 */
export class OtlpGrpcReceiver {
  readonly spans: ReceivedSpan[] = [];
  private readonly server = new grpc.Server();
  private port = 0;

  async start(): Promise<this> {
    const raw = (b: Buffer) => b;
    const definition = {
      Export: {
        path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        requestStream: false,
        responseStream: false,
        requestSerialize: raw,
        requestDeserialize: raw,
        responseSerialize: raw,
        responseDeserialize: raw,
      },
    };
    this.server.addService(definition, {
      Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        this.spans.push(...decodeProtobufRequest(call.request));
        callback(null, Buffer.alloc(0));
      },
    });
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
    return this;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  stop(): void {
    this.server.forceShutdown();
  }
}
