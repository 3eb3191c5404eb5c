import PointADSupport

/// Python's pickle machine, reduced to what `torch.save` and TorchScript write (protocol 2, and the
/// few protocol 4 opcodes newer torch emits), that builds data and runs no code.
///
/// Globals are an allow-list: tensor rebuilders (`torch._utils._rebuild_tensor_v2`,
/// `_rebuild_tensor`, `_rebuild_parameter`), `collections.OrderedDict`, the storage types
/// (`torch.FloatStorage`, `HalfStorage`, `BFloat16Storage`, …), TorchScript's list helpers
/// (`torch.jit._pickle.*`) and TorchScript module classes (`__torch__.*`, whose instances are kept
/// as attribute maps). Any other global — `os.system`, `builtins.eval`, a user class — is refused
/// with its name before anything is built from it.
struct RestrictedUnpickler {
    /// Deepest container nesting accepted (a CLIP state dict needs 3, a TorchScript module ~8).
    static let maximumDepth = 100

    let path: String
    let entryName: String
    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    init(_ bytes: UnsafeRawBufferPointer, path: String, entryName: String) {
        self.bytes = bytes
        self.path = path
        self.entryName = entryName
    }

    private func fail(_ problem: String) -> FileError {
        FileError(path, "\(entryName): \(problem)")
    }

    /// Runs the pickle to its STOP and returns the value it leaves.
    mutating func load() throws -> PickleValue {
        while true {
            let opcodeAt = position
            let op = try byte()
            switch op {
            case 0x80: _ = try byte()                                    // PROTO
            case 0x95: _ = try take(8)                                   // FRAME (protocol 4)
            case 0x2E:                                                   // STOP
                guard let top = stack.popLast(), stack.isEmpty, marks.isEmpty else {
                    throw fail("the pickle stops with \(stack.count) values on its stack, expected one")
                }
                return top
            case 0x28: marks.append(stack.count)                         // MARK
            case 0x7D: stack.append(.dict(PickleDict()))                 // EMPTY_DICT
            case 0x5D: stack.append(.list(PickleList()))                 // EMPTY_LIST
            case 0x29: stack.append(try tuple([]))                       // EMPTY_TUPLE
            case 0x74: stack.append(try tuple(try popMark()))            // TUPLE
            case 0x85, 0x86, 0x87:                                       // TUPLE1, 2, 3
                let n = Int(op - 0x84)
                stack.append(try tuple(try pop(n)))
            case 0x64:                                                   // DICT
                let items = try popMark()
                let d = PickleDict()
                try setItems(d, items)
                stack.append(.dict(d))
            case 0x6C: stack.append(.list(try list(try popMark())))      // LIST
            case 0x71: memo[Int(try byte())] = try top()                 // BINPUT
            case 0x72: memo[Int(try uint32())] = try top()               // LONG_BINPUT
            case 0x94: memo[memo.count] = try top()                      // MEMOIZE
            case 0x68: stack.append(try recall(Int(try byte())))         // BINGET
            case 0x6A: stack.append(try recall(Int(try uint32())))       // LONG_BINGET
            case 0x63:                                                   // GLOBAL "module\nname\n"
                let module = try line(), name = try line()
                stack.append(try global(module, name))
            case 0x93:                                                   // STACK_GLOBAL
                let parts = try pop(2)
                guard case .string(let module) = parts[0], case .string(let name) = parts[1] else {
                    throw fail("STACK_GLOBAL expects two strings")
                }
                stack.append(try global(module, name))
            case 0x58: stack.append(.string(try text(Int(try uint32()))))  // BINUNICODE
            case 0x8C: stack.append(.string(try text(Int(try byte()))))    // SHORT_BINUNICODE
            case 0x8D: stack.append(.string(try text(try length64())))     // BINUNICODE8
            case 0x54: stack.append(.string(try text(Int(try uint32()))))  // BINSTRING (ASCII in practice)
            case 0x55: stack.append(.string(try text(Int(try byte()))))    // SHORT_BINSTRING
            case 0x42: stack.append(.bytes(Array(try take(Int(try uint32())))))  // BINBYTES
            case 0x43: stack.append(.bytes(Array(try take(Int(try byte())))))    // SHORT_BINBYTES
            case 0x8E: stack.append(.bytes(Array(try take(try length64()))))     // BINBYTES8
            case 0x4A: stack.append(.int(Int(Int32(bitPattern: try uint32()))))  // BININT
            case 0x4B: stack.append(.int(Int(try byte())))                       // BININT1
            case 0x4D: stack.append(.int(Int(try byte()) | Int(try byte()) << 8)) // BININT2
            case 0x8A: stack.append(.int(try long(Int(try byte()))))             // LONG1
            case 0x8B: stack.append(.int(try long(Int(try uint32()))))           // LONG4
            case 0x4E: stack.append(.none)                                       // NONE
            case 0x88: stack.append(.bool(true))                                 // NEWTRUE
            case 0x89: stack.append(.bool(false))                                // NEWFALSE
            case 0x47:                                                           // BINFLOAT (big-endian)
                var bits: UInt64 = 0
                for b in try take(8) { bits = bits << 8 | UInt64(b) }
                stack.append(.float(Double(bitPattern: bits)))
            case 0x73:                                                   // SETITEM
                let kv = try pop(2)
                guard case .dict(let d) = try top() else { throw fail("SETITEM on a \(try top().typeName)") }
                try setItems(d, kv)
            case 0x75:                                                   // SETITEMS
                let items = try popMark()
                guard case .dict(let d) = try top() else { throw fail("SETITEMS on a \(try top().typeName)") }
                try setItems(d, items)
            case 0x61:                                                   // APPEND
                let item = try pop(1)
                guard case .list(let l) = try top() else { throw fail("APPEND on a \(try top().typeName)") }
                try append(l, item)
            case 0x65:                                                   // APPENDS
                let items = try popMark()
                guard case .list(let l) = try top() else { throw fail("APPENDS on a \(try top().typeName)") }
                try append(l, items)
            case 0x30: _ = try pop(1)                                    // POP
            case 0x31: _ = try popMark()                                 // POP_MARK
            case 0x32: stack.append(try top())                           // DUP
            case 0x52:                                                   // REDUCE
                let parts = try pop(2)
                guard case .tuple(let args) = parts[1] else { throw fail("REDUCE arguments are a \(parts[1].typeName), not a tuple") }
                stack.append(try reduce(parts[0], args.items))
            case 0x81:                                                   // NEWOBJ
                let parts = try pop(2)
                guard case .global(let module, let name) = parts[0], module.hasPrefix("__torch__") else {
                    throw fail("NEWOBJ of \(parts[0].typeName) is not allowed")
                }
                stack.append(.object(PickleObject(className: "\(module).\(name)")))
            case 0x62:                                                   // BUILD
                let state = try pop(1)[0]
                guard case .object(let object) = try top() else { throw fail("BUILD on a \(try top().typeName) is not allowed") }
                guard !object.sealed, object.attributes == nil, case .dict(let attributes) = state else {
                    throw fail("BUILD of \(object.className) with a \(state.typeName) state, or twice")
                }
                object.depth = try seal([state]) + 1
                object.attributes = attributes
            case 0x51:                                                   // BINPERSID
                stack.append(try persistentLoad(try pop(1)[0]))
            default:
                throw fail("opcode 0x\(String(op, radix: 16)) at byte \(opcodeAt) is not one torch.save writes (or the pickle is damaged)")
            }
        }
    }

    // MARK: - Reading bytes

    private mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw fail("the pickle ends before its STOP opcode (truncated)") }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer.SubSequence {
        guard n >= 0, n <= bytes.count - position else {
            throw fail("a \(n)-byte field at byte \(position) runs past the end of the pickle (\(bytes.count) bytes)")
        }
        defer { position += n }
        return bytes[position..<(position + n)]
    }

    private mutating func uint32() throws -> UInt32 {
        var v: UInt32 = 0
        for (i, b) in try take(4).enumerated() { v |= UInt32(b) << (8 * UInt32(i)) }
        return v
    }

    private mutating func length64() throws -> Int {
        var v: UInt64 = 0
        for (i, b) in try take(8).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        guard v <= UInt64(bytes.count) else { throw fail("a length of \(v) bytes exceeds the pickle") }
        return Int(v)
    }

    private mutating func text(_ n: Int) throws -> String {
        let raw = try take(n)
        guard let s = String(validating: raw, as: UTF8.self) else { throw fail("a string at byte \(position - n) is not valid UTF-8") }
        return s
    }

    private mutating func line() throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A), end - position <= 1000 else {
            throw fail("GLOBAL name at byte \(position) is not a short newline-terminated line")
        }
        let s = try text(end - position)
        position += 1  // the newline
        return s
    }

    /// Little-endian two's-complement integer of `n` bytes; more than 8 do not fit.
    private mutating func long(_ n: Int) throws -> Int {
        guard n <= 8 else { throw fail("an integer of \(n) bytes is too large") }
        let raw = try take(n)
        var v: UInt64 = 0
        for (i, b) in raw.enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        if n > 0, n < 8, raw.last! & 0x80 != 0 { v |= ~0 << (8 * UInt64(n)) }
        return Int(Int64(bitPattern: v))
    }

    // MARK: - Stack

    private func top() throws -> PickleValue {
        guard let v = stack.last else { throw fail("stack underflow (damaged pickle)") }
        return v
    }

    private mutating func pop(_ n: Int) throws -> [PickleValue] {
        guard stack.count - (marks.last ?? 0) >= n else { throw fail("stack underflow (damaged pickle)") }
        defer { stack.removeLast(n) }
        return Array(stack.suffix(n))
    }

    private mutating func popMark() throws -> [PickleValue] {
        guard let mark = marks.popLast() else { throw fail("no MARK to pop to (damaged pickle)") }
        defer { stack.removeLast(stack.count - mark) }
        return Array(stack[mark...])
    }

    private func recall(_ index: Int) throws -> PickleValue {
        guard let v = memo[index] else { throw fail("memo entry \(index) is read before it is written") }
        return v
    }

    // MARK: - Containers

    /// Seals the containers among `values` and returns their deepest depth.
    private func seal(_ values: [PickleValue]) throws -> Int {
        var deepest = 0
        for v in values {
            guard let c = v.container else { continue }
            c.sealed = true
            deepest = max(deepest, c.depth)
        }
        guard deepest < Self.maximumDepth else { throw fail("containers nested deeper than \(Self.maximumDepth) levels") }
        return deepest
    }

    private func tuple(_ items: [PickleValue]) throws -> PickleValue {
        let t = PickleTuple(items)
        t.depth = try seal(items) + 1
        return .tuple(t)
    }

    private func list(_ items: [PickleValue]) throws -> PickleList {
        let l = PickleList()
        try append(l, items)
        return l
    }

    private func append(_ l: PickleList, _ items: [PickleValue]) throws {
        guard !l.sealed else { throw fail("a list is changed after being nested in another container") }
        l.depth = max(l.depth, try seal(items) + 1)
        l.items += items
    }

    private func setItems(_ d: PickleDict, _ flat: [PickleValue]) throws {
        guard flat.count % 2 == 0 else { throw fail("a dict update with an odd number of values") }
        guard !d.sealed else { throw fail("a dict is changed after being nested in another container") }
        d.depth = max(d.depth, try seal(flat) + 1)
        for i in stride(from: 0, to: flat.count, by: 2) { d.pairs.append((flat[i], flat[i + 1])) }
    }

    // MARK: - Globals and torch's reconstructors

    private static let callables: Set<String> = [
        "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor", "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state", "collections.OrderedDict",
        "torch.jit._pickle.build_intlist", "torch.jit._pickle.build_tensorlist", "torch.jit._pickle.build_doublelist",
        "torch.jit._pickle.build_boollist", "torch.jit._pickle.build_strlist", "torch.jit._pickle.restore_type_tag",
    ]

    private func global(_ module: String, _ name: String) throws -> PickleValue {
        let full = "\(module).\(name)"
        if Self.callables.contains(full) || (module == "torch" && TorchDType(rawValue: name) != nil) || module.hasPrefix("__torch__") {
            return .global(module: module, name: name)
        }
        throw fail("refused global '\(full)': only tensors, storages and plain containers are loaded (no code runs)")
    }

    private func reduce(_ callable: PickleValue, _ args: [PickleValue]) throws -> PickleValue {
        guard case .global(let module, let name) = callable else { throw fail("REDUCE on a \(callable.typeName)") }
        _ = try seal(args)
        switch "\(module).\(name)" {
        case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor":
            guard args.count >= 4, case .storage(let storage) = args[0], case .int(let offset) = args[1],
                  let shape = Self.integers(args[2]), let strides = Self.integers(args[3]) else {
                throw fail("\(name) expects (storage, offset, size, stride, …)")
            }
            // Bounds are checked where the tensor gets its name (TorchCheckpoint), to name it.
            return .tensor(TorchTensorReference(storage: storage, offset: offset, shape: shape, strides: strides))
        case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
            guard let first = args.first, case .tensor = first else { throw fail("\(name) expects a tensor first") }
            return first
        case "collections.OrderedDict":
            let d = PickleDict()
            if let pairs = args.first {
                let items: [PickleValue]
                switch pairs {
                case .list(let l): items = l.items
                case .tuple(let t): items = t.items
                default: throw fail("OrderedDict expects a list of pairs")
                }
                for item in items {
                    guard case .tuple(let kv) = item, kv.items.count == 2 else { throw fail("OrderedDict expects (key, value) pairs") }
                    try setItems(d, kv.items)
                }
            }
            return .dict(d)
        case "torch.jit._pickle.restore_type_tag":
            guard let first = args.first else { throw fail("restore_type_tag without arguments") }
            return first
        default:
            // build_intlist and friends: the list itself.
            guard module == "torch.jit._pickle", args.count == 1 else { throw fail("REDUCE of '\(module).\(name)' is not allowed") }
            return args[0]
        }
    }

    private static func integers(_ v: PickleValue) -> [Int]? {
        let items: [PickleValue]
        switch v {
        case .tuple(let t): items = t.items
        case .list(let l): items = l.items
        default: return nil
        }
        var out: [Int] = []
        for item in items {
            guard case .int(let n) = item else { return nil }
            out.append(n)
        }
        return out
    }

    /// ('storage', torch.<Type>Storage, key, location, numel) → a storage reference.
    private func persistentLoad(_ pid: PickleValue) throws -> PickleValue {
        guard case .tuple(let t) = pid, t.items.count == 5, case .string("storage") = t.items[0] else {
            throw fail("persistent id is not ('storage', type, key, location, numel)")
        }
        guard case .global(let module, let typeName) = t.items[1], module == "torch", let dtype = TorchDType(rawValue: typeName) else {
            throw fail("persistent id names storage type \(t.items[1].typeName), not a torch storage type")
        }
        guard case .string(let key) = t.items[2], !key.isEmpty, !key.contains("/"), !key.contains("..") else {
            throw fail("storage key must be a plain name")
        }
        guard case .int(let numel) = t.items[4], numel >= 0 else { throw fail("storage '\(key)' has no valid element count") }
        return .storage(TorchStorageReference(dtype: dtype, key: key, elementCount: numel))
    }
}
