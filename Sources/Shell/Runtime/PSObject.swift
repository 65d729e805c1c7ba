import Foundation
import TenantModel

/// A reference to a tenant object, carried by the objects Get-* cmdlets return so that
/// piping them into Set-*/Remove-* finds the very object without re-resolving text.
public enum ObjectRef: Hashable, Sendable {
    case user(UUID)
    case mailbox(UUID)
    case mobileDevice(UUID)
    case mobilePolicy(UUID)
    case owaPolicy(UUID)
    case deviceRule(UUID)
    case clientAccessRule(UUID)
    case authenticationPolicy(UUID)
    case remoteDomain(UUID)
    case inboxRule(mailbox: UUID, rule: UInt64)
    case singleton(String)
}

/// An object in the shell. Objects that Get-* cmdlets return are views of a tenant object
/// (properties read lazily through its schema); objects made in the shell (`New-Object`,
/// `[PSCustomObject]`, Select-Object) hold their own ordered properties. Assigning a
/// member of a view copies its properties first: the tenant is never changed that way,
/// exactly as with the deserialized objects of a remote session.
public final class PSObject: @unchecked Sendable {
    public var typeNames: [String]
    public let ref: ObjectRef?
    private var view: (any PropertyView)?
    private var names: [String] = []
    private var values: [String: PSValue] = [:]
    /// The secret of a SecureString.
    public let secret: String?

    /// A view of a tenant object.
    public init(view: some PropertyView, typeName: String, ref: ObjectRef?) {
        self.view = view
        self.typeNames = [typeName, "System.Management.Automation.PSObject"]
        self.ref = ref
        self.secret = nil
    }

    /// An object with its own properties, in order.
    public init(typeName: String = "System.Management.Automation.PSCustomObject", properties: [(String, PSValue)],
                ref: ObjectRef? = nil, secret: String? = nil) {
        self.typeNames = [typeName, "System.Object"]
        self.ref = ref
        self.secret = secret
        for (k, v) in properties { set(k, v) }
    }

    public var propertyNames: [String] { view?.propertyNames ?? names }

    /// The property's value, or nil when the object has no such member (names ignore case).
    public func property(_ name: String) -> PSValue? {
        if let view { return view.value(named: name).map(PSValue.init) }
        return values[name.lowercased()]
    }

    /// The exact spelling of a member name, when the object has it.
    public func canonicalName(_ name: String) -> String? {
        if let view { return view.canonicalName(name) }
        let lower = name.lowercased()
        return names.first { $0.lowercased() == lower }
    }

    public func hasProperty(_ name: String) -> Bool { canonicalName(name) != nil }

    /// Sets a member; a view is first copied into own properties.
    public func set(_ name: String, _ value: PSValue) {
        materialize()
        let lower = name.lowercased()
        if values[lower] == nil { names.append(name) }
        values[lower] = value
    }

    private func materialize() {
        guard let view else { return }
        for n in view.propertyNames {
            names.append(n)
            values[n.lowercased()] = view.value(named: n).map(PSValue.init) ?? .null
        }
        self.view = nil
    }

    /// All properties in order.
    public var properties: [(String, PSValue)] {
        if let view = view as? any FastPropertyView { return view.allProperties }
        return propertyNames.map { ($0, property($0) ?? .null) }
    }

    /// The text an `-Identity` parameter binds from this object.
    public var identityText: String? {
        if let v = property("Identity"), !v.isNull { return v.text }
        if let v = property("Name"), !v.isNull { return v.text }
        return nil
    }

    /// .NET ToString(): Exchange objects print their Identity; custom objects PowerShell's
    /// hashtable-like form.
    public var toStringText: String {
        if let secret { _ = secret; return "System.Security.SecureString" }
        if view != nil || ref != nil, let id = identityText { return id }
        if typeNames.contains("System.Management.Automation.PSCustomObject") {
            return "@{" + properties.map { "\($0.0)=\($0.1.toStringText)" }.joined(separator: "; ") + "}"
        }
        return typeNames.first ?? "System.Object"
    }

    /// The tenant object behind a view, when it is of type `T`.
    public func model<T>(_: T.Type) -> T? { (view as? SchemaView<T>)?.object }
}

/// Read access to an object's properties by name.
public protocol PropertyView: Sendable {
    var propertyNames: [String] { get }
    func value(named: String) -> PropertyValue?
    func canonicalName(_ name: String) -> String?
}

protocol FastPropertyView { var allProperties: [(String, PSValue)] { get } }

extension SchemaView: FastPropertyView {
    var allProperties: [(String, PSValue)] {
        var out: [(String, PSValue)] = []
        out.reserveCapacity(schema.properties.count)
        for p in schema.properties where hidden.isEmpty || !hidden.contains(p.name) { out.append((p.name, PSValue(p.get(object)))) }
        return out
    }
}

/// A view of a schema object.
public struct SchemaView<T>: PropertyView, @unchecked Sendable {
    public let object: T
    public let schema: ObjectSchema<T>
    /// Properties this view leaves out (internal links such as MailboxGuid).
    public let hidden: Set<String>

    public init(_ object: T, schema: ObjectSchema<T>, hidden: Set<String> = []) {
        self.object = object
        self.schema = schema
        self.hidden = hidden
    }

    public var propertyNames: [String] { schema.propertyNames.filter { !hidden.contains($0) } }

    public func value(named name: String) -> PropertyValue? {
        guard let p = schema.property(named: name), !hidden.contains(p.name) else { return nil }
        return p.get(object)
    }

    public func canonicalName(_ name: String) -> String? {
        guard let p = schema.property(named: name), !hidden.contains(p.name) else { return nil }
        return p.name
    }
}

extension PSObject {
    /// A view of a schema object as the shell returns it.
    public static func view<T: SchemaObject>(_ object: T, typeName: String, ref: ObjectRef?, hidden: Set<String> = []) -> PSObject {
        PSObject(view: SchemaView(object, schema: T.schema, hidden: hidden), typeName: typeName, ref: ref)
    }

    /// A SecureString holding `secret`.
    public static func secureString(_ secret: String) -> PSObject {
        PSObject(typeName: "System.Security.SecureString", properties: [("Length", .int(secret.count))], secret: secret)
    }
}
