// A decoder for the small subset of Python's pickle format that benchmark rows use
// (LiveCodeBench private tests: protocol 4 pickles of a str or of {"input_output": str}).
// Only data opcodes are accepted; anything that would construct objects or call code is
// rejected, so decoding untrusted rows is safe.

export type PickleValue = null | boolean | number | bigint | string | Uint8Array | PickleValue[] | { [key: string]: PickleValue };

const MARK = Symbol("mark");
type StackItem = PickleValue | typeof MARK;

export class PickleError extends Error {}

export function unpickle(bytes: Uint8Array): PickleValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue>();
  let pos = 0;

  const need = (n: number) => {
    if (pos + n > bytes.length) throw new PickleError(`truncated pickle at byte ${pos}`);
  };
  const u8 = () => {
    need(1);
    return bytes[pos++]!;
  };
  const u16 = () => {
    need(2);
    pos += 2;
    return view.getUint16(pos - 2, true);
  };
  const u32 = () => {
    need(4);
    pos += 4;
    return view.getUint32(pos - 4, true);
  };
  const i32 = () => {
    need(4);
    pos += 4;
    return view.getInt32(pos - 4, true);
  };
  const u64 = () => {
    need(8);
    const value = view.getBigUint64(pos, true);
    pos += 8;
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new PickleError("pickle length too large");
    return Number(value);
  };
  const take = (n: number) => {
    need(n);
    pos += n;
    return bytes.subarray(pos - n, pos);
  };
  const text = (n: number) => decoder.decode(take(n));
  const pop = (): PickleValue => {
    const item = stack.pop();
    if (item === undefined || item === MARK) throw new PickleError("pickle stack underflow");
    return item;
  };
  const popToMark = (): PickleValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new PickleError("pickle MARK missing");
    const items = stack.splice(at) as PickleValue[];
    items.shift();
    return items;
  };
  const top = (): PickleValue => {
    const item = stack[stack.length - 1];
    if (item === undefined || item === MARK) throw new PickleError("pickle stack underflow");
    return item;
  };
  const setItems = (target: PickleValue, flat: PickleValue[]) => {
    if (target === null || typeof target !== "object" || Array.isArray(target) || target instanceof Uint8Array) {
      throw new PickleError("SETITEM on a non-dict");
    }
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const key = flat[i];
      if (typeof key !== "string" && typeof key !== "number") throw new PickleError("only str/int dict keys are supported");
      target[String(key)] = flat[i + 1]!;
    }
  };
  const appendItems = (target: PickleValue, items: PickleValue[]) => {
    if (!Array.isArray(target)) throw new PickleError("APPEND on a non-list");
    target.push(...items);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80:
        u8();
        break; // PROTO
      case 0x95:
        u64();
        break; // FRAME (frames are only a read-ahead hint)
      case 0x2e: {
        // STOP
        const result = pop();
        return result;
      }
      case 0x28:
        stack.push(MARK);
        break; // MARK
      case 0x7d:
        stack.push({});
        break; // EMPTY_DICT
      case 0x5d:
        stack.push([]);
        break; // EMPTY_LIST
      case 0x29:
        stack.push([]);
        break; // EMPTY_TUPLE (tuples become arrays)
      case 0x4e:
        stack.push(null);
        break; // NONE
      case 0x88:
        stack.push(true);
        break; // NEWTRUE
      case 0x89:
        stack.push(false);
        break; // NEWFALSE
      case 0x4b:
        stack.push(u8());
        break; // BININT1
      case 0x4d:
        stack.push(u16());
        break; // BININT2
      case 0x4a:
        stack.push(i32());
        break; // BININT
      case 0x47: {
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      } // BINFLOAT (big-endian)
      case 0x8a: {
        // LONG1
        const n = u8();
        const raw = take(n);
        let value = 0n;
        for (let i = n - 1; i >= 0; i--) value = (value << 8n) | BigInt(raw[i]!);
        if (n > 0 && raw[n - 1]! & 0x80) value -= 1n << BigInt(8 * n);
        stack.push(value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value);
        break;
      }
      case 0x8c:
        stack.push(text(u8()));
        break; // SHORT_BINUNICODE
      case 0x58:
        stack.push(text(u32()));
        break; // BINUNICODE
      case 0x8d:
        stack.push(text(u64()));
        break; // BINUNICODE8
      case 0x43:
        stack.push(take(u8()).slice());
        break; // SHORT_BINBYTES
      case 0x42:
        stack.push(take(u32()).slice());
        break; // BINBYTES
      case 0x94:
        memo.set(memo.size, top());
        break; // MEMOIZE
      case 0x71:
        memo.set(u8(), top());
        break; // BINPUT
      case 0x72:
        memo.set(u32(), top());
        break; // LONG_BINPUT
      case 0x68:
      case 0x6a: {
        // BINGET, LONG_BINGET
        const index = op === 0x68 ? u8() : u32();
        if (!memo.has(index)) throw new PickleError(`memo key ${index} missing`);
        stack.push(memo.get(index)!);
        break;
      }
      case 0x73: {
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      } // SETITEM
      case 0x75: {
        const items = popToMark();
        setItems(top(), items);
        break;
      } // SETITEMS
      case 0x61: {
        const value = pop();
        appendItems(top(), [value]);
        break;
      } // APPEND
      case 0x65: {
        const items = popToMark();
        appendItems(top(), items);
        break;
      } // APPENDS
      case 0x74:
        stack.push(popToMark());
        break; // TUPLE
      case 0x85:
        stack.push([pop()]);
        break; // TUPLE1
      case 0x86: {
        const b = pop();
        const a = pop();
        stack.push([a, b]);
        break;
      } // TUPLE2
      case 0x87: {
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push([a, b, c]);
        break;
      } // TUPLE3
      default:
        throw new PickleError(`unsupported pickle opcode 0x${op.toString(16).padStart(2, "0")} at byte ${pos - 1}`);
    }
  }
}
