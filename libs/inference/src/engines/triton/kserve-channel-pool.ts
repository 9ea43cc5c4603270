import * as grpc from '@grpc/grpc-js';

/** Channel options of the KServe clients; two clients share a channel only when these agree. */
export interface KServeChannelOptions {
  readonly maxMessageBytes: number;
  readonly initialReconnectBackoffMs: number;
  readonly maxReconnectBackoffMs: number;
}

interface PooledChannel {
  readonly channel: grpc.Channel;
  refs: number;
}

const pool = new Map<string, PooledChannel>();

/**
 * The one plaintext channel to `address` with these options, opened on first use and shared by every client that
 * asks for it; each {@link acquireChannel} is paired with one {@link releaseChannel}, and the last release closes it.
 */
export function acquireChannel(address: string, options: KServeChannelOptions): { key: string; channel: grpc.Channel } {
  const key = `${address}|${options.maxMessageBytes}|${options.initialReconnectBackoffMs}|${options.maxReconnectBackoffMs}`;
  let entry = pool.get(key);
  if (entry === undefined) {
    entry = { channel: openChannel(address, grpc.credentials.createInsecure(), options), refs: 0 };
    pool.set(key, entry);
  }
  entry.refs++;
  return { key, channel: entry.channel };
}

/** Gives back a channel from {@link acquireChannel}; closes it when nobody else holds it. */
export function releaseChannel(key: string): void {
  const entry = pool.get(key);
  if (entry === undefined) {
    return;
  }
  entry.refs--;
  if (entry.refs <= 0) {
    pool.delete(key);
    entry.channel.close();
  }
}

/** A channel with raised message limits and a reconnect backoff short enough to notice a restarted server. */
export function openChannel(
  address: string,
  credentials: grpc.ChannelCredentials,
  options: KServeChannelOptions,
): grpc.Channel {
  return new grpc.Channel(address, credentials, {
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': options.maxMessageBytes,
    // grpc-js backs off reconnects up to 120 s by default: a restarted Triton would stay unreachable that long.
    'grpc.initial_reconnect_backoff_ms': options.initialReconnectBackoffMs,
    'grpc.max_reconnect_backoff_ms': options.maxReconnectBackoffMs,
  });
}
