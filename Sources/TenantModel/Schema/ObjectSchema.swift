/// One property of an Exchange object: its Exchange name, its declared type, and how to
/// read and write it on the Swift value. The schema tables built from these are the one
/// place that names properties: the shell's member access and Set-* parameters, fixtures,
/// the store, CSV export and the docs all go through them.
public struct PropertyDefinition<Root>: Sendable {
    public let name: String
    public let valueType: ValueType
    private let getter: @Sendable (Root) -> PropertyValue
    private let setter: (@Sendable (inout Root, PropertyValue) throws(ValueConversionError) -> Void)?
    fileprivate let restorer: (@Sendable (inout Root, PropertyValue) throws(ValueConversionError) -> Void)?

    /// A read-write property stored at `keyPath`.
    public init<V: PropertyConvertible>(_ name: String, _ keyPath: WritableKeyPath<Root, V> & Sendable) {
        self.name = name
        self.valueType = V.valueType
        self.getter = { $0[keyPath: keyPath].propertyValue }
        self.setter = { (root: inout Root, value: PropertyValue) throws(ValueConversionError) in
            root[keyPath: keyPath] = try V.convert(from: value)
        }
        self.restorer = setter
    }

    /// A read-write property whose converted value must also pass `validate` (which returns
    /// the reason for refusing it, or nil): Exchange's per-property ranges and lengths.
    public init<V: PropertyConvertible>(
        _ name: String, _ keyPath: WritableKeyPath<Root, V> & Sendable,
        validate: @escaping @Sendable (V) -> String?
    ) {
        self.name = name
        self.valueType = V.valueType
        self.getter = { $0[keyPath: keyPath].propertyValue }
        self.setter = { (root: inout Root, value: PropertyValue) throws(ValueConversionError) in
            let converted = try V.convert(from: value)
            if let reason = validate(converted) {
                throw ValueConversionError(typeName: V.valueType.typeName, value: value.displayText, reason: reason)
            }
            root[keyPath: keyPath] = converted
        }
        self.restorer = setter
    }

    /// A property the service manages (Guid, WhenCreated, a device's access state): admins
    /// cannot set it with a cmdlet, but fixtures and the store restore it.
    public init<V: PropertyConvertible>(readOnly name: String, _ keyPath: WritableKeyPath<Root, V> & Sendable) {
        self.name = name
        self.valueType = V.valueType
        self.getter = { $0[keyPath: keyPath].propertyValue }
        self.setter = nil
        self.restorer = { (root: inout Root, value: PropertyValue) throws(ValueConversionError) in
            root[keyPath: keyPath] = try V.convert(from: value)
        }
    }

    /// A property computed from others (IsManaged from ProvisioningFlags): never stored.
    public init<V: PropertyConvertible>(computed name: String, _ keyPath: KeyPath<Root, V> & Sendable) {
        self.name = name
        self.valueType = V.valueType
        self.getter = { $0[keyPath: keyPath].propertyValue }
        self.setter = nil
        self.restorer = nil
    }

    /// A property with custom accessors (e.g. a setter that keeps an invariant). `restore`,
    /// when given, is the raw write that fixtures and the store use instead of `set`.
    public init<V: PropertyConvertible>(
        _ name: String, as: V.Type,
        get: @escaping @Sendable (Root) -> V,
        set: (@Sendable (inout Root, V) -> Void)?,
        restore: (@Sendable (inout Root, V) -> Void)? = nil
    ) {
        self.name = name
        self.valueType = V.valueType
        self.getter = { get($0).propertyValue }
        func wrap(_ f: (@Sendable (inout Root, V) -> Void)?) -> (@Sendable (inout Root, PropertyValue) throws(ValueConversionError) -> Void)? {
            guard let f else { return nil }
            return { (root: inout Root, value: PropertyValue) throws(ValueConversionError) in
                f(&root, try V.convert(from: value))
            }
        }
        self.setter = wrap(set)
        self.restorer = wrap(restore ?? set)
    }

    private init(
        name: String, valueType: ValueType,
        getter: @escaping @Sendable (Root) -> PropertyValue,
        setter: (@Sendable (inout Root, PropertyValue) throws(ValueConversionError) -> Void)?,
        restorer: (@Sendable (inout Root, PropertyValue) throws(ValueConversionError) -> Void)?
    ) {
        self.name = name
        self.valueType = valueType
        self.getter = getter
        self.setter = setter
        self.restorer = restorer
    }

    /// The same property seen through a containing value (a CAS setting on its mailbox).
    public func lifted<Outer>(_ path: WritableKeyPath<Outer, Root> & Sendable) -> PropertyDefinition<Outer> {
        let getter = self.getter
        typealias Inner = @Sendable (inout Root, PropertyValue) throws(ValueConversionError) -> Void
        typealias OuterSetter = @Sendable (inout Outer, PropertyValue) throws(ValueConversionError) -> Void
        func lift(_ inner: Inner?) -> OuterSetter? {
            guard let inner else { return nil }
            return { (outer: inout Outer, v: PropertyValue) throws(ValueConversionError) in
                try inner(&outer[keyPath: path], v)
            }
        }
        return PropertyDefinition<Outer>(
            name: name, valueType: valueType,
            getter: { getter($0[keyPath: path]) },
            setter: lift(setter), restorer: lift(restorer))
    }

    public var isReadOnly: Bool { setter == nil }

    /// Whether fixtures and the store keep this property (everything but computed ones).
    public var isPersisted: Bool { restorer != nil }

    /// Stores a value from a fixture or the store, read-only properties included.
    public func restore(_ root: inout Root, _ value: PropertyValue) throws(ValueConversionError) {
        guard let restorer else {
            throw ValueConversionError(typeName: valueType.typeName, value: value.displayText,
                                       reason: "The property '\(name)' is computed and cannot be stored.")
        }
        try restorer(&root, value)
    }

    public func get(_ root: Root) -> PropertyValue { getter(root) }

    /// Converts `value` to the property's type and stores it; throws and leaves `root`
    /// unchanged when the value does not convert.
    public func set(_ root: inout Root, _ value: PropertyValue) throws(ValueConversionError) {
        guard let setter else {
            throw ValueConversionError(typeName: valueType.typeName, value: value.displayText,
                                       reason: "The property '\(name)' is read-only.")
        }
        try setter(&root, value)
    }
}

/// The ordered property table of one object type. Order is the order Exchange lists the
/// properties in (`Format-List *`).
public struct ObjectSchema<Root>: Sendable {
    public let typeName: String
    public let properties: [PropertyDefinition<Root>]
    private let indexByName: [String: Int]
    private let indexByExactName: [String: Int]

    public init(_ typeName: String, _ properties: [PropertyDefinition<Root>]) {
        self.typeName = typeName
        self.properties = properties
        var index: [String: Int] = [:]
        for (i, p) in properties.enumerated() {
            precondition(index[p.name.lowercased()] == nil, "duplicate property \(p.name) in \(typeName)")
            index[p.name.lowercased()] = i
        }
        self.indexByName = index
        self.indexByExactName = Dictionary(uniqueKeysWithValues: properties.enumerated().map { ($1.name, $0) })
        self.restorers = properties.map(\.restorer)
    }

    private let restorers: [(@Sendable (inout Root, PropertyValue) throws(ValueConversionError) -> Void)?]

    /// Restores one property by name without copying its definition: the store's hot path.
    /// Returns false when the schema has no persisted property of that name.
    public func restore(_ object: inout Root, named name: String, _ value: PropertyValue) throws(ValueConversionError) -> Bool {
        guard let i = indexByExactName[name] ?? indexByName[name.lowercased()], let restore = restorers[i] else { return false }
        try restore(&object, value)
        return true
    }

    /// The property named `name`, ignoring case (PowerShell member names are case-insensitive).
    public func property(named name: String) -> PropertyDefinition<Root>? {
        if let i = indexByExactName[name] { return properties[i] }
        return indexByName[name.lowercased()].map { properties[$0] }
    }

    public var propertyNames: [String] { properties.map(\.name) }

    /// The persisted properties whose value on `object` differs from their value on
    /// `reference`: what a fixture or the store needs to record.
    public func differences(_ object: Root, from reference: Root) -> [(name: String, value: PropertyValue)] {
        differences(object, fromValues: values(of: reference))
    }

    /// Every property's value, in schema order (a reference to diff many objects against).
    public func values(of object: Root) -> [PropertyValue] { properties.map { $0.get(object) } }

    /// Like ``differences(_:from:)`` against precomputed reference values.
    public func differences(_ object: Root, fromValues reference: [PropertyValue]) -> [(name: String, value: PropertyValue)] {
        var out: [(String, PropertyValue)] = []
        for (i, p) in properties.enumerated() where p.isPersisted {
            let v = p.get(object)
            if v != reference[i] { out.append((p.name, v)) }
        }
        return out
    }
}

/// An object with an Exchange property table.
public protocol SchemaObject: Sendable {
    static var schema: ObjectSchema<Self> { get }
}

extension SchemaObject {
    /// The property's value by Exchange name, or nil when the object has no such property.
    public subscript(property name: String) -> PropertyValue? {
        Self.schema.property(named: name)?.get(self)
    }

    /// Every property, in schema order, as (name, value) pairs.
    public var allProperties: [(name: String, value: PropertyValue)] {
        Self.schema.properties.map { ($0.name, $0.get(self)) }
    }
}
