import CLIP

/// The `data.pkl` of a `torch.save(state_dict)` archive: a protocol-2 pickle of an
/// `OrderedDict` whose values are `torch._utils._rebuild_tensor_v2(storage, offset, size, stride,
/// requires_grad, backward_hooks)` calls, each storage a persistent id
/// `('storage', torch.<Type>Storage, key, 'cpu', numel)` naming the zip record `data/<key>`.
///
/// Only the opcodes torch.save itself emits are used (no memo: it is optional in a pickle), so
/// the bytes load with `torch.load(weights_only=True)` as well as with pointad's reader.
enum StateDictPickle {
    struct Record {
        let name: String
        let dtype: TorchDType
        let shape: [Int]
        /// The storage's record name under `data/`.
        let storageKey: String
    }

    static func bytes(_ tensors: [Record]) -> [UInt8] {
        var p = Emitter()
        p.op(0x80); p.out.append(2)                                   // PROTO 2
        p.global("collections", "OrderedDict"); p.op(0x29); p.op(0x52)  // OrderedDict()
        p.op(0x28)                                                    // MARK
        for t in tensors {
            p.string(t.name)
            p.global("torch._utils", "_rebuild_tensor_v2")
            p.op(0x28)                                                // MARK (the call's arguments)
            p.op(0x28)                                                // MARK (the persistent id)
            p.string("storage"); p.global("torch", t.dtype.rawValue); p.string(t.storageKey); p.string("cpu")
            p.int(t.shape.reduce(1, *))
            p.op(0x74)                                                // TUPLE
            p.op(0x51)                                                // BINPERSID
            p.int(0)                                                  // storage offset
            p.tuple(t.shape)
            p.tuple(contiguousStrides(t.shape))
            p.op(0x89)                                                // requires_grad = False
            p.global("collections", "OrderedDict"); p.op(0x29); p.op(0x52)  // backward_hooks
            p.op(0x74)                                                // TUPLE
            p.op(0x52)                                                // REDUCE
        }
        p.op(0x75)                                                    // SETITEMS
        p.op(0x2E)                                                    // STOP
        return p.out
    }

    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count), step = 1
        for d in shape.indices.reversed() {
            strides[d] = step
            step *= max(shape[d], 1)
        }
        return strides
    }

    private struct Emitter {
        var out: [UInt8] = []

        mutating func op(_ code: UInt8) { out.append(code) }

        mutating func global(_ module: String, _ name: String) {
            out.append(0x63)                                          // GLOBAL
            out += Array("\(module)\n\(name)\n".utf8)
        }

        mutating func string(_ s: String) {
            let utf8 = Array(s.utf8)
            out.append(0x58)                                          // BINUNICODE
            append32(UInt32(utf8.count))
            out += utf8
        }

        mutating func int(_ n: Int) {
            switch n {
            case 0..<256: out += [0x4B, UInt8(n)]                     // BININT1
            case 256..<65_536: out += [0x4D, UInt8(n & 0xFF), UInt8(n >> 8)]  // BININT2
            case Int(Int32.min)...Int(Int32.max):                      // BININT
                out.append(0x4A)
                append32(UInt32(bitPattern: Int32(n)))
            default:                                                  // LONG1, 8 bytes two's complement
                out += [0x8A, 8]
                for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: n >> (8 * i))) }
            }
        }

        mutating func tuple(_ values: [Int]) {
            switch values.count {
            case 0: out.append(0x29)                                  // EMPTY_TUPLE
            case 1...3:
                for v in values { int(v) }
                out.append(0x84 + UInt8(values.count))                // TUPLE1, TUPLE2, TUPLE3
            default:
                out.append(0x28)
                for v in values { int(v) }
                out.append(0x74)
            }
        }

        private mutating func append32(_ v: UInt32) {
            for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
        }
    }
}
