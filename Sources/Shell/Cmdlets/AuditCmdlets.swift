import AuditLog
import Foundation
import TenantModel

/// Search-UnifiedAuditLog, Search-MailboxAuditLog and Search-AdminAuditLog over the
/// session's audit trail. [EXCHANGE-FACTS 4.3, 5.3]
enum AuditCmdlets {
    static let definitions: [CmdletDefinition] = [searchUnifiedAuditLog, searchMailboxAuditLog, searchAdminAuditLog]

    static let recordTypeValues = ValueType.enumeration(EnumDescriptor(
        typeName: "Microsoft.Exchange.Management.SystemConfigurationTasks.AuditRecordType",
        names: AuditLogRecordType.allCases.map(\.name)))

    static let sessionCommandValues = ValueType.enumeration(EnumDescriptor(
        typeName: "Microsoft.Exchange.Management.SystemConfigurationTasks.UnifiedAuditSessionCommand",
        names: ["ReturnLargeSet", "ReturnNextPreviewPage"]))

    static let auditRecordTypeName = "Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.UnifiedAuditRecord"

    /// The date parameters: a date alone means midnight UTC. [EXCHANGE-FACTS 5.3]
    static func date(_ parameters: BoundParameters, _ name: String) -> Date? {
        if case .date(let d)? = parameters.value(name) { return d }
        return nil
    }

    static func invalidArgument(_ message: String, _ cmdlet: String) -> ShellError {
        ShellError.exchange(message, category: .InvalidArgument, exception: "ArgumentException", cmdlet: cmdlet)
    }

    static let searchUnifiedAuditLog = CmdletDefinition(
        "Search-UnifiedAuditLog", module: .exchange,
        synopsis: "Searches the unified audit log (sign-ins, admin cmdlets, mailbox actions) between two dates.",
        parameters: [
            ParameterDefinition("StartDate", .date, mandatory: true, help: "Start of the range (UTC; a date alone is midnight)."),
            ParameterDefinition("EndDate", .date, mandatory: true, help: "End of the range (UTC; exclusive)."),
            ParameterDefinition("Operations", .strings, help: "Operation names, e.g. UserLoginFailed, New-InboxRule, MailItemsAccessed."),
            ParameterDefinition("UserIds", .strings, help: "UPNs of the users who acted."),
            ParameterDefinition("RecordType", .exchange(recordTypeValues), help: "One record type (ExchangeAdmin, ExchangeItem, AzureActiveDirectoryStsLogon, ...)."),
            ParameterDefinition("ObjectIds", .strings, help: "Objects acted on; a leading * matches any prefix."),
            ParameterDefinition("IPAddresses", .strings, help: "Client IP addresses."),
            ParameterDefinition("FreeText", .string, help: "Text to find in the record's AuditData."),
            ParameterDefinition("ResultSize", .int, help: "Records per call: 1 to 5000, default 100."),
            ParameterDefinition("SessionId", .string, help: "Pages through one search: repeat the call with the same id."),
            ParameterDefinition("SessionCommand", .exchange(sessionCommandValues),
                                help: "ReturnLargeSet (unsorted, up to 50,000 in all) or ReturnNextPreviewPage (sorted, up to 5,000)."),
            ParameterDefinition("Formatted", .switchParameter, help: "Show RecordType and UserType in AuditData as names, not numbers."),
            ParameterDefinition("HighCompleteness", .switchParameter, help: "Accepted; every record is complete in the simulator."),
        ]
    ) { context, parameters, _ in
        let cmdlet = "Search-UnifiedAuditLog"
        guard let start = date(parameters, "StartDate"), let end = date(parameters, "EndDate") else { return [] }
        guard start <= end else {
            throw invalidArgument("The start date must be earlier than the end date.", cmdlet)
        }
        let size = parameters.int("ResultSize") ?? 100
        guard (1...5_000).contains(size) else {
            throw invalidArgument("The ResultSize parameter must be a value between 1 and 5000.", cmdlet)
        }
        var query = UnifiedAuditQuery(startDate: start, endDate: end)
        query.operations = parameters.strings("Operations") ?? []
        query.userIds = parameters.strings("UserIds") ?? []
        query.objectIds = parameters.strings("ObjectIds") ?? []
        query.ipAddresses = parameters.strings("IPAddresses") ?? []
        query.freeText = parameters.string("FreeText")
        if let type = parameters.string("RecordType") { query.recordType = AuditLogRecordType.named(type) }

        let matches = context.session.audit.search(query)
        // Paging: the same SessionId continues where the last call stopped.
        var offset = 0
        var cap = matches.count
        if let sessionId = parameters.string("SessionId") {
            let command = parameters.string("SessionCommand") ?? "ReturnNextPreviewPage"
            var state = context.session.auditSearchSessions[sessionId] ?? AuditSearchSession()
            if state.commands.insert(command).inserted, state.commands.count > 1 { state.mixed = true }
            offset = state.returned
            cap = min(matches.count, state.mixed ? 10_000 : (command == "ReturnLargeSet" ? 50_000 : 5_000))
            state.returned = min(cap, offset + size)
            context.session.auditSearchSessions[sessionId] = state
        }
        guard offset < cap else { return [] }
        let page = matches[offset..<min(cap, offset + size)]
        let runspace = context.session.runspaceId
        let formatted = parameters.isOn("Formatted")
        return page.enumerated().map { i, r in
            var data = r.auditData
            if formatted {
                data["RecordType"] = .string(r.recordType.name)
                if case .int(let t)? = data["UserType"] { data["UserType"] = .string(userTypeName(t)) }
            }
            return .object(PSObject(typeName: auditRecordTypeName, properties: [
                ("RunspaceId", .exchange(.guid(runspace))),
                ("RecordType", .string(r.recordType.name)),
                ("CreationDate", .date(r.creationTime)),
                ("UserIds", .string(r.userId)),
                ("Operations", .string(r.operation)),
                ("AuditData", .string(data.text)),
                ("ResultIndex", .int(offset + i + 1)),
                ("ResultCount", .int(cap)),
                ("Identity", .string(r.id.uuidString.lowercased())),
                ("IsValid", .true),
                ("ObjectState", .string("Unchanged")),
            ]))
        }
    }

    /// The UserType enumeration names used by `-Formatted`. [EXCHANGE-FACTS 5.4]
    static let userTypeNames = ["Regular", "Reserved", "Admin", "DcAdmin", "System", "Application", "ServicePrincipal",
                                "CustomPolicy", "SystemPolicy", "PartnerTechnician", "Guest"]

    static func userTypeName(_ value: Int) -> String {
        userTypeNames.indices.contains(value) ? userTypeNames[value] : String(value)
    }

    static let logonTypeValues = ValueType.multiValued(MailboxAuditLogonType.valueType)
    static let operationValues = ValueType.multiValued(MailboxAuditOperations.valueType)

    static let searchMailboxAuditLog = CmdletDefinition(
        "Search-MailboxAuditLog", module: .exchange,
        synopsis: "Searches mailbox audit log entries (kept for each mailbox's AuditLogAgeLimit).",
        parameters: [
            ParameterDefinition("Identity", .identity("MailboxIdParameter"), position: 0, pipeline: .byValue, help: "The mailbox."),
            ParameterDefinition("Mailboxes", .objects, help: "Several mailboxes (not with -ShowDetails)."),
            ParameterDefinition("ShowDetails", .switchParameter, help: "One object per entry with every detail field."),
            ParameterDefinition("StartDate", .date, help: "Start of the range (UTC)."),
            ParameterDefinition("EndDate", .date, help: "End of the range (UTC)."),
            ParameterDefinition("LogonTypes", .exchange(logonTypeValues), help: "Admin, Delegate, Owner (Owner needs -ShowDetails)."),
            ParameterDefinition("Operations", .exchange(operationValues), help: "Mailbox audit actions to include."),
            ParameterDefinition("ResultSize", .int, help: "At most this many entries (default 1000)."),
            ParameterDefinition("ExternalAccess", .bool, help: "$true returns Microsoft datacenter access only (none in the simulator)."),
        ]
    ) { context, parameters, _ in
        let cmdlet = "Search-MailboxAuditLog"
        let tenant = context.tenant
        var mailboxes: [Mailbox] = []
        do throws(ShellError) {
            if let id = parameters.value("Identity") { mailboxes = [tenant.mailboxes[try ExchangeSupport.mailboxIndex(id, context)]] }
            for id in parameters.value("Mailboxes")?.enumerated ?? [] {
                mailboxes.append(tenant.mailboxes[try ExchangeSupport.mailboxIndex(id, context)])
            }
        } catch {
            context.writeError(error)
            return []
        }
        let details = parameters.isOn("ShowDetails")
        if details, parameters.has("Mailboxes") {
            throw invalidArgument("The ShowDetails parameter can't be used with the Mailboxes parameter.", cmdlet)
        }
        var logonTypes: [MailboxAuditLogonType] = []
        if case .converted(.list(let items))? = parameters.values["LogonTypes"] {
            logonTypes = items.compactMap { MailboxAuditLogonType.named($0.displayText) }
        }
        if logonTypes.contains(.Owner), !details {
            throw invalidArgument("The LogonTypes value Owner can be used only with the ShowDetails parameter.", cmdlet)
        }
        if logonTypes.isEmpty { logonTypes = details ? [] : [.Admin, .Delegate] }
        var operations: [MailboxAuditOperations] = []
        if case .converted(.list(let items))? = parameters.values["Operations"] {
            operations = items.compactMap { MailboxAuditOperations.named($0.displayText) }
        }
        if parameters.value("ExternalAccess")?.isTruthy == true { return [] }
        let limit = parameters.int("ResultSize") ?? 1_000
        var out: [PSValue] = []
        let targets: [Mailbox?] = mailboxes.isEmpty ? [nil] : mailboxes.map { $0 }
        for m in targets {
            let records = context.session.audit.mailboxRecords(mailbox: m?.guid, start: date(parameters, "StartDate"),
                                                                end: date(parameters, "EndDate"), logonTypes: logonTypes,
                                                                operations: operations)
            if details {
                out += records.prefix(limit).map { detailObject($0, tenant) }
            } else if let m, !records.isEmpty {
                out.append(.object(PSObject(typeName: "Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.MailboxAuditLogRecord", properties: [
                    ("MailboxGuid", .exchange(.guid(m.guid))), ("MailboxResolvedOwnerName", .string(m.displayName)),
                    ("LastAccessed", .date(records[0].creationTime)), ("Identity", .string(m.guid.uuidString.lowercased())),
                    ("IsValid", .true), ("ObjectState", .string("Unchanged")),
                ])))
            }
        }
        return Array(out.prefix(limit))
    }

    static func detailObject(_ r: MailboxAuditRecord, _ tenant: Tenant) -> PSValue {
        var props: [(String, PSValue)] = [
            ("Operation", .string(r.operation.rawValue)), ("OperationResult", .string(r.operationResult)),
            ("LogonType", .string(r.logonType.rawValue)), ("ExternalAccess", .bool(r.externalAccess)),
        ]
        for (k, v) in r.details.pairs where !["Operation", "OperationResult", "LogonType", "ExternalAccess"].contains(k) {
            props.append((k, PSValue(jsonScalar: v)))
        }
        for (k, v) in [("ClientInfoString", r.clientInfoString), ("ClientIPAddress", r.clientIPAddress),
                       ("MailboxOwnerUPN", r.mailboxOwnerUPN), ("LogonUserDisplayName", r.logonUserDisplayName)]
            where !props.contains(where: { $0.0 == k }) {
            props.append((k, .string(v)))
        }
        props += [("MailboxGuid", .exchange(.guid(r.mailboxGuid))), ("LastAccessed", .date(r.creationTime)),
                  ("Identity", .string(r.id.uuidString.lowercased())), ("IsValid", .true), ("ObjectState", .string("Unchanged"))]
        return .object(PSObject(typeName: "Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.MailboxAuditLogEvent", properties: props))
    }

    static let searchAdminAuditLog = CmdletDefinition(
        "Search-AdminAuditLog", module: .exchange,
        synopsis: "Searches the administrator audit log: who ran which cmdlet with which parameters.",
        parameters: [
            ParameterDefinition("Cmdlets", .strings, help: "Cmdlet names."),
            ParameterDefinition("Parameters", .strings, help: "Parameter names the cmdlets were run with (needs -Cmdlets)."),
            ParameterDefinition("ObjectIds", .strings, help: "Objects changed."),
            ParameterDefinition("UserIds", .strings, help: "Who ran the cmdlets."),
            ParameterDefinition("StartDate", .date, help: "Start of the range (UTC)."),
            ParameterDefinition("EndDate", .date, help: "End of the range (UTC)."),
            ParameterDefinition("IsSuccess", .bool, help: "Only succeeded (or failed) runs."),
            ParameterDefinition("ExternalAccess", .bool, help: "Only (or no) Microsoft datacenter runs."),
            ParameterDefinition("ResultSize", .int, help: "At most this many entries (default 1000)."),
        ]
    ) { context, parameters, _ in
        if parameters.has("Parameters"), !parameters.has("Cmdlets") {
            throw invalidArgument("The Parameters parameter can be used only with the Cmdlets parameter.", "Search-AdminAuditLog")
        }
        let start = date(parameters, "StartDate") ?? Date(timeIntervalSince1970: 0)
        let end = date(parameters, "EndDate") ?? Date(timeIntervalSince1970: 4_102_444_800)
        var query = UnifiedAuditQuery(startDate: start, endDate: end)
        query.recordType = .ExchangeAdmin
        query.operations = parameters.strings("Cmdlets") ?? []
        query.userIds = parameters.strings("UserIds") ?? []
        query.objectIds = parameters.strings("ObjectIds") ?? []
        let wanted = Set((parameters.strings("Parameters") ?? []).map { $0.lowercased() })
        let limit = parameters.int("ResultSize") ?? 1_000
        var out: [PSValue] = []
        for r in context.session.audit.search(query) {
            let params = (r.auditData["Parameters"]?.arrayValue ?? []).compactMap { $0.objectValue }
            let names = params.compactMap { $0["Name"]?.stringValue }
            if !wanted.isEmpty, !names.contains(where: { wanted.contains($0.lowercased()) }) { continue }
            let succeeded = r.resultStatus == "True"
            if let want = parameters.value("IsSuccess"), want.isTruthy != succeeded { continue }
            let external = r.auditData["ExternalAccess"] == .bool(true)
            if let want = parameters.value("ExternalAccess"), want.isTruthy != external { continue }
            let cmdletParameters = params.map { p -> PSValue in
                .string("\(p["Name"]?.stringValue ?? "")=\(p["Value"]?.stringValue ?? "")")
            }
            out.append(.object(PSObject(typeName: "Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.AdminAuditLogEvent", properties: [
                ("ObjectModified", .string(r.objectId ?? "")), ("CmdletName", .string(r.operation)),
                ("CmdletParameters", .array(PSArray(cmdletParameters, typeName: "System.Collections.ArrayList"))),
                ("ModifiedProperties", .array(PSArray([], typeName: "System.Collections.ArrayList"))),
                ("Caller", .string(r.userId)), ("ExternalAccess", .bool(external)), ("Succeeded", .bool(succeeded)),
                ("Error", .string("")), ("RunDate", .date(r.creationTime)),
                ("OriginatingServer", .string(r.auditData["OriginatingServer"]?.stringValue ?? "")),
            ])))
            if out.count >= limit { break }
        }
        return out
    }
}

/// A Search-UnifiedAuditLog paging session.
public struct AuditSearchSession: Sendable {
    public var returned = 0
    public var commands: Set<String> = []
    public var mixed = false
}

extension PSValue {
    /// A JSON scalar as a shell value (objects and arrays as their JSON text).
    init(jsonScalar v: JSONValue) {
        switch v {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        default: self = .string(v.text)
        }
    }
}
