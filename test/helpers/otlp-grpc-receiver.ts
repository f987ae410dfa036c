import * as grpc from '@grpc/grpc-js';
import { decodeProtobufRequest, ReceivedSpan } from '../register/otlp-receiver';

/** A collector's 4 MiB gRPC message limit (grpc-js's default receive limit, set here explicitly). */
export const COLLECTOR_MAX_MESSAGE = 4 * 1024 * 1024;

const raw = (b: Buffer) => b;

/**
 * A local OTLP/gRPC trace receiver: a real grpc-js server with the collector's TraceService `Export`
 * method and a collector's 4 MiB message limit, so an export request over it is rejected with
 * RESOURCE_EXHAUSTED as a collector would. Requests are kept as they came; `spans` decodes them with the
 * HTTP receiver's protobuf decoder.
 */
export class OtlpGrpcReceiver {
  readonly requests: Buffer[] = [];
  private readonly server = new grpc.Server({ 'grpc.max_receive_message_length': COLLECTOR_MAX_MESSAGE });
  private port = 0;

  async start(): Promise<this> {
    const service: grpc.ServiceDefinition = {
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
    this.server.addService(service, {
      Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        this.requests.push(call.request);
        callback(null, Buffer.alloc(0));
      },
    });
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get spans(): ReceivedSpan[] {
    return this.requests.flatMap((r) => decodeProtobufRequest(r));
  }

  stop(): void {
    this.server.forceShutdown();
  }
}
