import Foundation
import TenantModel

/// Identity resolution and schema-driven property setting, shared by every Exchange cmdlet.
enum ExchangeSupport {
    // MARK: Identity resolution

    /// Resolves a mailbox identity as Exchange's MailboxIdParameter does: GUID, name, alias,
    /// any SMTP proxy address, UPN or `domain\alias`; an object from Get-Mailbox resolves
    /// to its own mailbox. Zero matches: "couldn't be found"; several: "matches multiple entries".
    static func mailboxIndex(_ identity: PSValue, _ context: CmdletContext) throws(ShellError) -> Int {
        let tenant = context.tenant
        if case .object(let o) = identity, let ref = o.ref {
            switch ref {
            case .mailbox(let g):
                if let i = tenant.mailboxIndex(guid: g) { return i }
            case .user(let objectId):
                if let i = tenant.mailboxes.firstIndex(where: { $0.userObjectId == objectId }) { return i }
            default: break
            }
        }
        let text = identityText(identity)
        let matches = mailboxMatches(text, in: tenant)
        guard let first = matches.first else { throw ShellError.objectNotFound(text, cmdlet: context.definition.name) }
        guard matches.count == 1 else { throw ShellError.ambiguousIdentity(text, cmdlet: context.definition.name) }
        return first
    }

    /// Indexes of the mailboxes an identity text names.
    static func mailboxMatches(_ text: String, in tenant: Tenant) -> [Int] {
        let t = text.trimmedWhitespace
        if let g = UUID.parse(t), let i = tenant.mailboxIndex(guid: g) { return [i] }
        var key = t
        if let slash = key.lastIndex(of: "\\") { key = String(key[key.index(after: slash)...]) }
        if key.lowercased().hasPrefix("smtp:") { key = String(key.dropFirst(5)) }
        return tenant.mailboxPositions(matching: key)
    }

    /// The text of an identity argument (an object binds by its Identity).
    static func identityText(_ identity: PSValue) -> String {
        if case .object(let o) = identity { return o.identityText ?? o.toStringText }
        return identity.text
    }

    /// Resolves a named object (policy, rule) by name or GUID, ignoring case.
    static func namedIndex<T>(_ identity: PSValue, in list: [T], name: (T) -> String, guid: (T) -> UUID,
                              ref: (ObjectRef) -> UUID?, _ context: CmdletContext) throws(ShellError) -> Int {
        if case .object(let o) = identity, let r = o.ref, let g = ref(r), let i = list.firstIndex(where: { guid($0) == g }) {
            return i
        }
        let text = identityText(identity).trimmedWhitespace
        if let g = UUID.parse(text), let i = list.firstIndex(where: { guid($0) == g }) { return i }
        let lower = text.lowercased()
        let matches = list.indices.filter { name(list[$0]).lowercased() == lower }
        guard let first = matches.first else { throw ShellError.objectNotFound(text, cmdlet: context.definition.name) }
        guard matches.count == 1 else { throw ShellError.ambiguousIdentity(text, cmdlet: context.definition.name) }
        return first
    }

    /// Resolves a directory user by UPN or object id.
    static func userIndex(_ identity: PSValue, _ context: CmdletContext) throws(ShellError) -> Int {
        let tenant = context.tenant
        if case .object(let o) = identity, case .user(let g)? = o.ref, let i = tenant.users.firstIndex(where: { $0.objectId == g }) {
            return i
        }
        let text = identityText(identity).trimmedWhitespace
        if let i = tenant.userIndex(upn: text) { return i }
        if let g = UUID.parse(text), let i = tenant.users.firstIndex(where: { $0.objectId == g }) { return i }
        throw ShellError.objectNotFound(text, cmdlet: context.definition.name)
    }

    // MARK: Parameters from schemas

    /// A parameter for every writable property of `schema` (minus `except`): Set-* cmdlets
    /// take exactly the properties Exchange lets admins change, under the same names.
    static func settableParameters<T>(_ schema: ObjectSchema<T>, except: Set<String> = [], help: [String: String] = [:]) -> [ParameterDefinition] {
        schema.properties.filter { !$0.isReadOnly && !except.contains($0.name) }.map {
            ParameterDefinition($0.name, .exchange($0.valueType), help: help[$0.name] ?? "Sets \($0.name) (\($0.valueType.shortName)).")
        }
    }

    /// Applies every bound parameter that names a property of `schema` to `object`: a value
    /// replaces, `@{Add=...; Remove=...}` edits a multi-valued property. Works on a copy and
    /// assigns only when every parameter converted, so a failure changes nothing. Returns
    /// the parameters as the admin audit log records them.
    static func apply<T>(_ parameters: BoundParameters, to object: inout T, schema: ObjectSchema<T>,
                         skip: Set<String> = [], cmdlet: String) throws(ShellError) -> [AdminAction.ParameterRecord] {
        var copy = object
        var records: [AdminAction.ParameterRecord] = []
        for name in parameters.order where !skip.contains(name) {
            guard let property = schema.property(named: name), !property.isReadOnly, let bound = parameters.values[name] else { continue }
            let newValue: PropertyValue
            switch bound {
            case .converted(let v): newValue = v
            case .value(let v): newValue = v.propertyValue
            case .edit(let add, let remove):
                var items: [PropertyValue] = []
                if case .list(let current) = property.get(copy) { items = current }
                for a in add where !items.contains(where: { sameItem($0, a) }) { items.append(a) }
                items.removeAll { item in remove.contains { sameItem($0, item) } }
                newValue = .list(items)
            }
            do {
                try property.set(&copy, newValue)
            } catch {
                throw ShellError(
                    message: "Cannot process argument transformation on parameter '\(name)'. \(error.description)",
                    category: .InvalidData, reason: "ParameterBindingArgumentTransformationException",
                    errorId: "ParameterArgumentTransformationError,\(cmdlet)", activity: cmdlet,
                    span: parameters.spans[name])
            }
            records.append(AdminAction.ParameterRecord(name: name, value: auditText(bound)))
        }
        object = copy
        return records
    }

    /// Multi-valued items compare ignoring case, as Exchange's lists of names do.
    static func sameItem(_ a: PropertyValue, _ b: PropertyValue) -> Bool {
        a == b || a.displayText.lowercased() == b.displayText.lowercased()
    }

    /// How an argument appears in an admin audit record's Parameters.
    static func auditText(_ bound: BoundValue) -> String {
        switch bound {
        case .converted(.list(let items)): return items.map(\.displayText).joined(separator: ", ")
        case .converted(let v): return v.displayText
        case .value(let v): return v.text
        case .edit(let add, let remove):
            var parts: [String] = []
            if !add.isEmpty { parts.append("Add=" + add.map(\.displayText).joined(separator: ",")) }
            if !remove.isEmpty { parts.append("Remove=" + remove.map(\.displayText).joined(separator: ",")) }
            return parts.joined(separator: ";")
        }
    }

    /// The parameters of an invocation as audit records (for cmdlets that set no schema property).
    static func auditRecords(_ parameters: BoundParameters) -> [AdminAction.ParameterRecord] {
        parameters.order.compactMap { name in parameters.values[name].map { AdminAction.ParameterRecord(name: name, value: auditText($0)) } }
    }

    /// `-ResultSize`: a number or Unlimited; Exchange's default is 1000 and it warns when
    /// more objects exist than were returned.
    static func resultSize(_ parameters: BoundParameters) -> Int? {
        if case .converted(let v)? = parameters.values["ResultSize"] {
            if case .unlimited = v { return nil }
            if case .int(let i) = v { return i }
        }
        return 1_000
    }

    static let resultSizeParameter = ParameterDefinition(
        "ResultSize", .exchange(.unlimited(.int(1...Int(Int32.max)))),
        help: "How many objects to return: a number or Unlimited (default 1000).")

    /// Writes Exchange's warning when -ResultSize cut the output short.
    static func warnIfTruncated(total: Int, returned: Int, _ context: CmdletContext) {
        if returned < total {
            context.writeWarning("By default, only the first \(returned) items are returned. Use the ResultSize parameter to specify the number of items returned. To return all items, specify \"-ResultSize Unlimited\". Be aware that, depending upon the actual number of items, returning all items can take a long time and consume a large amount of memory. Also, we don't recommend storing the results in a variable. Instead, pipe the results to another task or script to perform batch changes.")
        }
    }

    /// The error for a cmdlet run in a dehydrated tenant. [EXCHANGE-FACTS 5.2]
    static func dehydratedError(_ cmdlet: String) -> ShellError {
        ShellError.exchange("The command you tried to run isn't currently allowed in your organization. To run this command, you first need to run the command: Enable-OrganizationCustomization.",
                            exception: "InvalidOperationInDehydratedContextException", cmdlet: cmdlet)
    }
}
