// Firefox's own wire for WebDriver classic: Marionette, JSON messages framed as
// "<byte length>:<json>" on a loopback TCP socket. A request is [0, id, "WebDriver:<Command>",
// params], its response [1, id, error | null, result]; the server greets first with
// { marionetteProtocol: 3 }. No geckodriver is needed (Debian ships none).
import { connect, type Socket } from 'node:net';
import { WebDriverError, type Transport } from './webdriver.ts';

interface Pending {
  command: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Reads length-prefixed messages out of a byte stream. */
class Frames {
  private buf = Buffer.alloc(0);
  push(chunk: Buffer): unknown[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: unknown[] = [];
    for (;;) {
      const colon = this.buf.indexOf(':');
      if (colon < 0) break;
      const length = Number(this.buf.subarray(0, colon).toString());
      if (!Number.isInteger(length))
        throw new WebDriverError(`marionette: bad frame header ${JSON.stringify(this.buf.subarray(0, colon).toString())}`);
      if (this.buf.length < colon + 1 + length) break;
      out.push(JSON.parse(this.buf.subarray(colon + 1, colon + 1 + length).toString()));
      this.buf = this.buf.subarray(colon + 1 + length);
    }
    return out;
  }
}

/** Connects to Marionette on `port` and waits for its greeting; `close()` ends the socket. */
export async function marionetteTransport(port: number, timeoutMs: number): Promise<{ send: Transport; close: () => void }> {
  const socket: Socket = connect(port, '127.0.0.1');
  const frames = new Frames();
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let failure: Error | undefined;
  // Settling a settled promise is a no-op: later calls of greeted change nothing.
  let greeted!: (e?: Error) => void;
  const greeting = new Promise<void>((resolve, reject) => (greeted = (e) => (e ? reject(e) : resolve())));

  const fail = (e: Error) => {
    failure ??= e;
    greeted(e);
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(e);
    }
    pending.clear();
  };
  socket.on('error', (e) => fail(new WebDriverError(`marionette: ${e.message}`)));
  socket.on('close', () => fail(new WebDriverError('marionette: the connection closed')));
  socket.on('data', (chunk: Buffer) => {
    let messages: unknown[];
    try {
      messages = frames.push(chunk);
    } catch (e) {
      socket.destroy();
      return fail(e as Error);
    }
    for (const m of messages) {
      if (!Array.isArray(m)) {
        const level = (m as { marionetteProtocol?: number }).marionetteProtocol;
        greeted(level === 3 ? undefined : new WebDriverError(`marionette: protocol level ${level}, expected 3`));
        continue;
      }
      const [, id, error, result] = m as [1, number, { error: string; message: string } | null, unknown];
      const p = pending.get(id);
      if (!p) continue;
      pending.delete(id);
      clearTimeout(p.timer);
      if (error) p.reject(new WebDriverError(`${p.command}: ${error.error}: ${error.message}`));
      // Marionette wraps a result that is not an object (and some that are) in { value }.
      else
        p.resolve(
          result !== null && typeof result === 'object' && Object.keys(result).join() === 'value'
            ? (result as { value: unknown }).value
            : result,
        );
    }
  });
  const timer = setTimeout(() => greeted(new WebDriverError(`marionette: no greeting within ${timeoutMs} ms`)), timeoutMs);
  try {
    await greeting;
  } catch (e) {
    socket.destroy();
    throw e;
  } finally {
    clearTimeout(timer);
  }

  const send: Transport = <T>(command: string, params: Record<string, unknown>, commandTimeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = ++nextId;
      const name = `WebDriver:${command}`;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new WebDriverError(`${name}: no answer within ${commandTimeoutMs} ms`));
      }, commandTimeoutMs);
      pending.set(id, { command: name, resolve: resolve as (v: unknown) => void, reject, timer });
      const body = JSON.stringify([0, id, name, params]);
      socket.write(`${Buffer.byteLength(body)}:${body}`);
    });
  return { send, close: () => socket.destroy() };
}
