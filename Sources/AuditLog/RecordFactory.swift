import Foundation
import TenantModel

/// The AuditData of every record kind the simulator writes, field for field in the order,
/// types and value formats of the real records (`shared/golden/det-eng-samples`, EXCHANGE-FACTS
/// 5.4–5.5). Pure functions: the identifiers and times come in, JSON goes out. ``AuditPolicy``
/// decides which of these are written.
///
/// Field order follows how the service serialises its record classes: the common schema
/// first (CreationTime … UserId), then the workload's own fields in ordinal (alphabetical)
/// order, class by class — visible in the golden ExchangeAdmin records (`AppId, AppPoolName,
/// ClientAppId, CorrelationID, ExternalAccess, …, SessionId`). Entra records keep the fixed
/// order of the golden files.
public enum RecordFactory {
    /// The REST-based Exchange Online PowerShell module: the AppId of cmdlets run from a shell.
    /// [golden t1562-UnifiedAuditlogIngestion-Stopped.json, t1562-Set-MailboxAuditBypassAssociation.json]
    public static let exchangePowerShellAppId = "fb78d390-0c51-40cd-8e17-fdbfab77341b"
    /// The service's own account in admin records it writes for itself. [golden t1098.002 CSV]
    public static let systemAccount = "NT AUTHORITY\\SYSTEM (Microsoft.Exchange.ServiceHost)"
    /// What sign-in records name when the directory has no such user (INFERRED: Graph's empty id).
    public static let emptyGuid = "00000000-0000-0000-0000-000000000000"

    // MARK: Entra sign-in log (Graph signIn resource)

    /// A sign-in as Graph's `signIn` resource returns it, in the property order of the
    /// `GET /auditLogs/signIns` example. [GRAPH v1.0 signin.md, signin-list.md]
    public static func signIn(_ e: SignInEvent, id: UUID, correlationId: UUID, user: User?) -> JSONObject {
        var o = JSONObject()
        o["id"] = .string(guid(id))
        o["createdDateTime"] = .string(ISO8601.format(e.time))
        o["userDisplayName"] = .string(user?.displayName ?? e.userPrincipalName)
        o["userPrincipalName"] = .string(user?.userPrincipalName ?? e.userPrincipalName)
        o["userId"] = .string(user.map { guid($0.objectId) } ?? e.userObjectId.map(guid) ?? emptyGuid)
        o["appId"] = .string(e.applicationId)
        o["appDisplayName"] = .string(e.appDisplayName)
        o["ipAddress"] = .string(hostOnly(e.clientIP))
        o["clientAppUsed"] = .string(e.clientAppUsed)
        o["correlationId"] = .string(guid(correlationId))
        o["conditionalAccessStatus"] = .string("notApplied")
        o["isInteractive"] = .bool(e.isInteractive)
        o["riskDetail"] = .string("none")
        o["riskLevelAggregated"] = .string("none")
        o["riskLevelDuringSignIn"] = .string("none")
        o["riskState"] = .string("none")
        o["riskEventTypes"] = .array([])
        o["riskEventTypes_v2"] = .array([])
        o["resourceDisplayName"] = .string(resourceDisplayName(e.resourceId))
        o["resourceId"] = .string(e.resourceId)
        let reason = e.errorCode == 0 ? nil : (e.failureReason ?? failureReasons[e.errorCode] ?? "Other.")
        o["status"] = .object([
            "errorCode": .int(e.errorCode),
            "failureReason": reason.map(JSONValue.string) ?? .null,
            "additionalDetails": e.errorCode == 0 ? .null : (additionalDetails[e.errorCode].map(JSONValue.string) ?? .null),
        ])
        o["deviceDetail"] = .object([
            "deviceId": .string(""),
            "displayName": .null,
            "operatingSystem": .string(e.deviceOS ?? ""),
            "browser": .string(e.browser ?? ""),
            "isCompliant": .null,
            "isManaged": .null,
            "trustType": .null,
        ])
        o["location"] = .object([
            "city": .string(""),
            "state": .string(""),
            "countryOrRegion": .string(""),
            "geoCoordinates": .object(["altitude": .null, "latitude": .null, "longitude": .null]),
        ])
        o["appliedConditionalAccessPolicies"] = .array([])
        return o
    }

    // MARK: UserLoggedIn / UserLoginFailed (RecordType 15)

    /// The STS logon record of a sign-in. Field order, the Actor/Target pairs, the `ErrorNumber`
    /// text and `LogonError` on failures, `ResultStatus` `Success`/`Failed`, `UserKey` = the
    /// user's object id, and `Id` = `IntraSystemId` = the sign-in's request id all as in the
    /// golden t1110.003 (MSOLSpray / o365spray) records.
    public static func stsLogon(_ e: SignInEvent, id: UUID, correlationId: UUID, sessionId: UUID?, user: User?,
                                tenant: Tenant) -> JSONObject {
        let objectId = user.map { guid($0.objectId) } ?? e.userObjectId.map(guid) ?? emptyGuid
        let ip = hostOnly(e.clientIP)
        let resource = e.resourceId.isEmpty ? "Unknown" : e.resourceId
        var o = common(time: e.time, id: id, operation: e.succeeded ? "UserLoggedIn" : "UserLoginFailed", tenant: tenant,
                       recordType: .AzureActiveDirectoryStsLogon, resultStatus: e.succeeded ? "Success" : "Failed",
                       userKey: objectId, userType: 0, workload: "AzureActiveDirectory")
        o["ClientIP"] = .string(ip)
        o["ObjectId"] = .string(resource)
        o["UserId"] = .string(e.userPrincipalName)
        o["AzureActiveDirectoryEventType"] = .int(1)
        var extended = [nameValue("ResultStatusDetail", e.succeeded ? "Success" : "UserError")]
        if e.requestType == "Login:login" { extended.append(nameValue("KeepMeSignedIn", "true")) }
        extended.append(nameValue("UserAgent", e.userAgent))
        // 1 = password; the golden records of password sprays and sign-ins all carry it.
        extended.append(nameValue("UserAuthenticationMethod", "1"))
        extended.append(nameValue("RequestType", e.requestType))
        o["ExtendedProperties"] = .array(extended)
        o["ModifiedProperties"] = .array([])
        o["Actor"] = .array([identity(objectId, 0), identity(e.userPrincipalName, 5)])
        o["ActorContextId"] = .string(guid(tenant.info.tenantId))
        o["ActorIpAddress"] = .string(ip)
        o["InterSystemsId"] = .string(guid(correlationId))
        o["IntraSystemId"] = .string(guid(id))
        o["SupportTicketId"] = .string("")
        o["Target"] = .array([identity(resource, 0)])
        o["TargetContextId"] = .string(guid(tenant.info.tenantId))
        o["ApplicationId"] = .string(e.applicationId)
        var device: [JSONValue] = []
        if let os = e.deviceOS, !os.isEmpty { device.append(nameValue("OS", os)) }
        device.append(nameValue("BrowserType", browserType(e.browser)))
        device.append(nameValue("IsCompliantAndManaged", "False"))
        if let sessionId { device.append(nameValue("SessionId", guid(sessionId))) }
        o["DeviceProperties"] = .array(device)
        o["ErrorNumber"] = .string(String(e.errorCode))
        if !e.succeeded, let error = e.logonError ?? logonErrors[e.errorCode] {
            o["LogonError"] = .string(error)
        }
        return o
    }

    // MARK: ExchangeAdmin (RecordType 1)

    /// A cmdlet's admin audit record. An admin's run: `UserKey` = PUID, `UserType` 2, `ClientIP`
    /// with the client's port, the PowerShell module's `AppId`, `ExternalAccess` false,
    /// `Parameters` as typed with text values, `SessionId` of the connection. The service's
    /// own runs (`actor` nil) carry the system account, `UserType` 3, no ClientIP or SessionId,
    /// empty AppId and `ExternalAccess` true. [golden t1562-*.json, t1098.002 CSV]
    public static func exchangeAdmin(_ e: AdminCmdletEvent, id: UUID, actor: User?, objectId: String, clientIP: String?,
                                     sessionId: UUID?, tenant: Tenant) -> JSONObject {
        let isService = e.actor == nil
        let userId = e.actor ?? systemAccount
        let userKey = isService ? systemAccount : (actor?.puid ?? userId)
        let userType = isService ? 3 : (actor?.isAdmin == false ? 0 : 2)
        var o = common(time: e.time, id: id, operation: e.cmdlet, tenant: tenant, recordType: .ExchangeAdmin,
                       resultStatus: e.succeeded ? "True" : "False", userKey: userKey, userType: userType, workload: "Exchange")
        if !isService, let clientIP { o["ClientIP"] = .string(clientIP) }
        o["ObjectId"] = .string(objectId)
        o["UserId"] = .string(userId)
        o["AppId"] = .string(isService ? "" : exchangePowerShellAppId)
        o["ClientAppId"] = .string("")
        o["ExternalAccess"] = .bool(isService)
        o["OrganizationName"] = .string(tenant.info.initialDomain)
        o["OriginatingServer"] = .string(serverName(for: tenant.info.tenantId))
        o["Parameters"] = .array(e.parameters.map { nameValue($0.name, $0.value) })
        if !isService, let sessionId { o["SessionId"] = .string(guid(sessionId)) }
        return o
    }

    // MARK: AzureActiveDirectory (RecordType 8)

    /// A directory change ("Update user.", "Disable Strong Authentication.", ...). `UserKey`
    /// is the actor's PUID at the initial domain, `ObjectId` the target's UPN, Actor and
    /// Target list UPN (5), PUID (3) and the `User_<id>`, id and `User` entries (2), and
    /// ModifiedProperties entries are `{Name, NewValue, OldValue}` followed by
    /// "Included Updated Properties" (and "TargetId.UserType" on "Update user.").
    /// [golden t1556_Disable _Strong_Authentication.json, t1556.006 CSV]
    public static func directoryChange(_ e: DirectoryChangeEvent, id: UUID, interSystemsId: UUID, intraSystemId: UUID,
                                       actor: User?, target: User?, tenant: Tenant) -> JSONObject {
        let actorPuid = actor?.puid
        let userKey = actorPuid.map { "\($0)@\(tenant.info.initialDomain)" } ?? e.actor
        var o = common(time: e.time, id: id, operation: e.operation, tenant: tenant, recordType: .AzureActiveDirectory,
                       resultStatus: e.succeeded ? "Success" : "Failure", userKey: userKey, userType: 0,
                       workload: "AzureActiveDirectory")
        o["ObjectId"] = .string(e.targetUserPrincipalName)
        o["UserId"] = .string(e.actor)
        o["AzureActiveDirectoryEventType"] = .int(1)
        let details = e.operation == "Update user." ? "{\"UserType\":\"Member\"}" : "{}"
        o["ExtendedProperties"] = .array([nameValue("additionalDetails", details), nameValue("extendedAuditEventCategory", "User")])
        var modified = e.modifiedProperties.map { modifiedProperty($0.name, new: $0.newValue, old: $0.oldValue) }
        if !e.modifiedProperties.isEmpty {
            modified.append(modifiedProperty("Included Updated Properties",
                                             new: e.modifiedProperties.map(\.name).joined(separator: ", "), old: ""))
            if e.operation == "Update user." { modified.append(modifiedProperty("TargetId.UserType", new: "Member", old: "")) }
        }
        o["ModifiedProperties"] = .array(modified)
        var actorIds = [identity(e.actor, 5)]
        if let actor {
            actorIds += [identity(actor.puid, 3), identity("User_\(guid(actor.objectId))", 2), identity(guid(actor.objectId), 2),
                         identity("User", 2)]
        }
        o["Actor"] = .array(actorIds)
        o["ActorContextId"] = .string(guid(tenant.info.tenantId))
        o["InterSystemsId"] = .string(guid(interSystemsId))
        o["IntraSystemId"] = .string(guid(intraSystemId))
        o["SupportTicketId"] = .string("")
        let targetObjectId = target?.objectId ?? e.targetObjectId
        var targetIds: [JSONValue] = []
        if let targetObjectId {
            targetIds += [identity("User_\(guid(targetObjectId))", 2), identity(guid(targetObjectId), 2), identity("User", 2)]
        }
        targetIds.append(identity(e.targetUserPrincipalName, 5))
        if let puid = target?.puid ?? targetObjectId.map(User.puid(for:)) { targetIds.append(identity(puid, 3)) }
        o["Target"] = .array(targetIds)
        o["TargetContextId"] = .string(guid(tenant.info.tenantId))
        return o
    }

    // MARK: Mailbox records (RecordType 2, 3, 50)

    /// Who acted on a mailbox, as mailbox records name them.
    public struct MailboxActor: Hashable, Sendable {
        public var userPrincipalName: String
        public var displayName: String
        public var puid: String?
        public var sid: String
        public var isAdmin: Bool

        public init(userPrincipalName: String, displayName: String, puid: String?, sid: String, isAdmin: Bool) {
            self.userPrincipalName = userPrincipalName
            self.displayName = displayName
            self.puid = puid
            self.sid = sid
            self.isAdmin = isAdmin
        }
    }

    /// A folder a MailItemsAccessed record lists, with the messages bound in it.
    public struct AccessedFolder: Hashable, Sendable {
        public var path: String
        public var items: [ItemReference]
        public init(path: String, items: [ItemReference]) {
            self.path = path
            self.items = items
        }
    }

    /// The unified audit record type of a mailbox operation: items (Send, SendAs, Create,
    /// Update, UpdateInboxRules, MailboxLogin, ...) are ExchangeItem, operations on groups of
    /// items (Move, MoveToDeletedItems, SoftDelete, HardDelete, FolderBind, Copy) are
    /// ExchangeItemGroup, MailItemsAccessed is ExchangeItemAggregated. [EXCHANGE-FACTS 5.4]
    public static func recordType(for operation: MailboxAuditOperations) -> AuditLogRecordType {
        switch operation {
        case .MailItemsAccessed: .ExchangeItemAggregated
        case .Move, .MoveToDeletedItems, .SoftDelete, .HardDelete, .FolderBind, .Copy, .RecordDelete: .ExchangeItemGroup
        default: .ExchangeItem
        }
    }

    /// The operation name in the unified audit log: the mailbox audit action, except the
    /// mailbox search, which the audit log calls `SearchQueryInitiatedExchange`. [M365 audit activities]
    public static func unifiedOperationName(_ operation: MailboxAuditOperations) -> String {
        operation == .SearchQueryInitiated ? "SearchQueryInitiatedExchange" : operation.rawValue
    }

    /// An ExchangeItem (2) or ExchangeItemGroup (3) record.
    public static func mailboxAction(_ e: MailboxActionEvent, id: UUID, mailbox: Mailbox, actor: MailboxActor,
                                     tenant: Tenant) -> JSONObject {
        let type = recordType(for: e.operation)
        var o = mailboxCommon(e, id: id, operation: unifiedOperationName(e.operation), recordType: type, mailbox: mailbox,
                              actor: actor, tenant: tenant, time: e.time)
        if !e.properties.isEmpty {
            insertSorted(&o, "OperationProperties", .array(e.properties.map { nameValue($0.name, $0.value) }))
        }
        let folderPath = e.folderPath ?? e.items.first?.folderPath
        if type == .ExchangeItemGroup {
            // ExchangeMailboxAuditGroupRecord fields, alphabetical. [MAPI schema]
            if !e.items.isEmpty { o["AffectedItems"] = .array(e.items.map { .object(item($0, mailbox: mailbox)) }) }
            o["CrossMailboxOperation"] = .bool(false)
            if let dest = e.destinationFolderPath ?? (e.operation == .MoveToDeletedItems ? "\\Deleted Items" : nil) {
                o["DestFolder"] = .object(folder(dest, mailbox: mailbox))
            }
            if let folderPath { o["Folder"] = .object(folder(folderPath, mailbox: mailbox)) }
        } else {
            // ExchangeMailboxAuditRecord fields, alphabetical. [MAPI schema]
            if let first = e.items.first {
                o["Item"] = .object(item(first, mailbox: mailbox))
            } else if let folderPath, e.operation != .MailboxLogin {
                let id = JSONValue.string(folderId(folderPath, mailbox: mailbox))
                let parent: JSONObject = ["Id": id, "Name": .string(folderName(folderPath)),
                                          "Path": .string(folderPath.hasPrefix("\\") ? folderPath : "\\" + folderPath)]
                o["Item"] = .object(["Id": id, "ParentFolder": .object(parent)])
            }
            if e.operation == .Update {
                o["ModifiedProperties"] = .array(e.properties.isEmpty ? [.string("IsRead")] : e.properties.map { .string($0.name) })
            }
            if e.operation == .SendAs, let sendAs = e.sendAsUser {
                o["SendAsUserMailboxGuid"] = .string(guid(mailbox.guid))
                o["SendAsUserSmtp"] = .string(sendAs)
            }
            if e.operation == .SendOnBehalf, let onBehalf = e.sendAsUser {
                o["SendOnBehalfOfUserMailboxGuid"] = .string(guid(mailbox.guid))
                o["SendOnBehalfOfUserSmtp"] = .string(onBehalf)
            }
        }
        return o
    }

    /// A MailItemsAccessed (ExchangeItemAggregated, 50) record: `OperationProperties`
    /// MailAccessType and IsThrottled (text), `Folders[{FolderItems[{Id, InternetMessageId,
    /// SizeInBytes}], Id, Path}]` (no FolderItems for Sync) and `OperationCount`.
    /// [EXCHANGE-FACTS 4.2, 5.4; M365 mailitemsaccessed-forensics-investigations.md]
    public static func mailItemsAccessed(_ e: MailboxActionEvent, id: UUID, time: Date, mailbox: Mailbox, actor: MailboxActor,
                                         tenant: Tenant, accessType: String, folders: [AccessedFolder], operationCount: Int,
                                         isThrottled: Bool) -> JSONObject {
        var o = mailboxCommon(e, id: id, operation: "MailItemsAccessed", recordType: .ExchangeItemAggregated, mailbox: mailbox,
                              actor: actor, tenant: tenant, time: time)
        insertSorted(&o, "OperationProperties", .array([nameValue("MailAccessType", accessType),
                                                        nameValue("IsThrottled", isThrottled ? "True" : "False")]))
        o["Folders"] = .array(folders.map { f in
            var entry = JSONObject()
            if accessType == "Bind" {
                entry["FolderItems"] = .array(f.items.map { i in
                    .object(["Id": .string(i.itemId), "InternetMessageId": .string(i.internetMessageId),
                             "SizeInBytes": .int(i.sizeBytes)])
                })
            }
            for (k, v) in folder(f.path, mailbox: mailbox).pairs { entry[k] = v }
            return .object(entry)
        })
        o["OperationCount"] = .int(operationCount)
        return o
    }

    /// The fields Search-MailboxAuditLog -ShowDetails adds to an entry, in its order.
    /// [EXCHANGE-FACTS 4.3]
    public static func mailboxAuditDetails(_ e: MailboxActionEvent, mailbox: Mailbox, actor: MailboxActor, time: Date,
                                           accessType: String? = nil, folders: [AccessedFolder] = [], operationCount: Int? = nil,
                                           isThrottled: Bool = false) -> JSONObject {
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        let folderPath = e.folderPath ?? e.items.first?.folderPath
        let first = e.items.first
        func list(_ path: KeyPath<ItemReference, String>) -> JSONValue {
            e.items.count > 1 ? .string(e.items.map { $0[keyPath: path] }.joined(separator: "; ")) : .null
        }
        var properties = e.properties.map { "\($0.name):\($0.value)" }
        if let accessType { properties = ["MailAccessType:\(accessType)", "IsThrottled:\(isThrottled ? "True" : "False")"] }
        var o = JSONObject()
        o["DestFolderId"] = text(e.destinationFolderPath.map { folderId($0, mailbox: mailbox) })
        o["DestFolderPathName"] = text(e.destinationFolderPath)
        o["FolderId"] = text(folderPath.map { folderId($0, mailbox: mailbox) })
        o["FolderPathName"] = text(folderPath)
        o["FolderName"] = text(folderPath.map(folderName))
        o["ClientMachineName"] = .null
        o["ClientProcessName"] = .null
        o["ClientVersion"] = .null
        o["InternalLogonType"] = .string(e.logonType.rawValue)
        o["MailboxOwnerSid"] = .string(mailbox.sid)
        o["CrossMailboxOperation"] = .null
        o["LogonUserSid"] = .string(actor.sid)
        o["SourceItemIdsList"] = list(\.itemId)
        o["SourceItemSubjectsList"] = list(\.subject)
        o["SourceItemFolderPathNamesList"] = list(\.folderPath)
        o["ItemId"] = text(e.items.count == 1 ? first?.itemId : nil)
        o["ItemSubject"] = text(e.items.count == 1 ? first?.subject : nil)
        o["ItemAttachments"] = text(e.items.count == 1 && !(first?.attachments.isEmpty ?? true) ? first.map(attachments) : nil)
        o["ItemInternetMessageId"] = text(e.items.count == 1 ? first?.internetMessageId : nil)
        o["DirtyProperties"] = text(e.operation == .Update ? (e.properties.isEmpty ? "IsRead" : e.properties.map(\.name).joined(separator: ", ")) : nil)
        o["OriginatingServer"] = .string(serverName(for: mailbox.guid))
        o["SessionId"] = .string(guid(e.sessionId))
        o["OperationProperties"] = properties.isEmpty ? .null : .string(properties.joined(separator: " "))
        o["AuditOperationsCountInAggregatedRecord"] = operationCount.map(JSONValue.int) ?? .null
        o["AggregatedRecordFoldersData"] = folders.isEmpty ? .null : .string(folders.map { f in
            "\(f.path): " + f.items.map(\.internetMessageId).joined(separator: ", ")
        }.joined(separator: "; "))
        o["AppId"] = .string(appId(forClient: e.clientInfoString))
        o["ClientAppId"] = .string("")
        o["MailboxGuid"] = .string(guid(mailbox.guid))
        o["MailboxResolvedOwnerName"] = .string(mailbox.displayName)
        o["LastAccessed"] = .string(ISO8601.format(time))
        return o
    }

    // MARK: Wrapping

    /// The indexed record around an AuditData object (the fields repeat the AuditData's).
    public static func unified(_ data: JSONObject, id: UUID, time: Date, recordType: AuditLogRecordType) -> UnifiedAuditRecord {
        UnifiedAuditRecord(id: id, creationTime: time, recordType: recordType, operation: data["Operation"]?.stringValue ?? "",
                           userId: data["UserId"]?.stringValue ?? "", workload: data["Workload"]?.stringValue ?? "",
                           resultStatus: data["ResultStatus"]?.stringValue, objectId: data["ObjectId"]?.stringValue,
                           clientIP: data["ClientIP"]?.stringValue, auditData: data)
    }

    // MARK: Identifiers and value formats

    /// The record id of an Exchange (admin or mailbox) record: ten random bytes followed by
    /// the top 48 bits of the record time in .NET ticks, big-endian — the
    /// `…-08db59208799` tails of the golden ExchangeAdmin ids, which grow with CreationTime.
    public static func exchangeRecordId(at time: Date, ids: inout IdentifierGenerator) -> UUID {
        var b = ids.newGuid().uuid
        // Ticks from 0001-01-01; 62,135,596,800 s separate it from the Unix epoch.
        let ticks = UInt64(max(0, (time.timeIntervalSince1970 + 62_135_596_800) * 10_000_000))
        let high = ticks >> 16
        b.8 = UInt8(truncatingIfNeeded: ids.next())
        b.9 = UInt8(truncatingIfNeeded: ids.next() >> 8)
        b.10 = UInt8(truncatingIfNeeded: high >> 40)
        b.11 = UInt8(truncatingIfNeeded: high >> 32)
        b.12 = UInt8(truncatingIfNeeded: high >> 24)
        b.13 = UInt8(truncatingIfNeeded: high >> 16)
        b.14 = UInt8(truncatingIfNeeded: high >> 8)
        b.15 = UInt8(truncatingIfNeeded: high)
        return UUID(uuid: b)
    }

    /// An Entra request id (the sign-in's Graph `id`, the UAL `Id` and `IntraSystemId`): a
    /// GUID whose last two bytes are a small counter and zero (`…-a12b467d0300`). [golden t1110.003]
    public static func signInRequestId(ids: inout IdentifierGenerator) -> UUID {
        var b = ids.newGuid().uuid
        b.14 = 1 + b.14 % 0x60
        b.15 = 0
        return UUID(uuid: b)
    }

    /// A GUID as records write it: lowercase with hyphens.
    public static func guid(_ id: UUID) -> String { id.uuidString.lowercased() }

    /// `198.51.100.10:51234`, `[2a09:bac5:114:105::1a:9b]:54809`: an address with the client's
    /// port as ExchangeAdmin records write ClientIP. Addresses that already carry a port stay.
    public static func withPort(_ address: String, port: Int) -> String {
        if address.hasPrefix("[") { return address }
        let colons = address.filter { $0 == ":" }.count
        if colons == 1, address.contains(".") { return address }
        return colons >= 2 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }

    /// The address without a port or brackets (Entra records and mailbox records).
    public static func hostOnly(_ address: String) -> String {
        if address.hasPrefix("["), let end = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<end])
        }
        let colons = address.filter { $0 == ":" }.count
        if colons == 1, address.contains("."), let colon = address.firstIndex(of: ":") { return String(address[..<colon]) }
        return address
    }

    /// A back-end server name in Exchange Online's form, `TYUPR03MB7029 (15.20.6411.019)`,
    /// stable for the object it is derived from (the tenant for admin records, the mailbox
    /// for mailbox records).
    public static func serverName(for id: UUID) -> String {
        let b = id.uuid
        let regions = ["TYUPR", "KL1PR", "TYZPR", "PSAPR", "BN8PR", "DM6PR", "AM6PR", "HE1PR", "DB3PR", "SN6PR", "CH2PR", "SJ0PR"]
        let region = regions[Int(b.0) % regions.count]
        let pod = 1 + Int(b.1) % 19
        let machine = 1000 + (Int(b.2) << 8 | Int(b.3)) % 9000
        let build = 6000 + (Int(b.4) << 8 | Int(b.5)) % 3000
        let revision = Int(b.6) % 40
        return "\(region)\(pad(pod, 2))MB\(machine) (15.20.\(build).\(pad(revision, 3)))"
    }

    // MARK: Helpers

    static func common(time: Date, id: UUID, operation: String, tenant: Tenant, recordType: AuditLogRecordType,
                       resultStatus: String, userKey: String, userType: Int, workload: String) -> JSONObject {
        var o = JSONObject()
        o["CreationTime"] = .string(AuditTime.format(time))
        o["Id"] = .string(guid(id))
        o["Operation"] = .string(operation)
        o["OrganizationId"] = .string(guid(tenant.info.tenantId))
        o["RecordType"] = .int(recordType.rawValue)
        o["ResultStatus"] = .string(resultStatus)
        o["UserKey"] = .string(userKey)
        o["UserType"] = .int(userType)
        o["Version"] = .int(1)
        o["Workload"] = .string(workload)
        return o
    }

    /// The common schema plus the Exchange mailbox schema fields, alphabetical.
    static func mailboxCommon(_ e: MailboxActionEvent, id: UUID, operation: String, recordType: AuditLogRecordType,
                              mailbox: Mailbox, actor: MailboxActor, tenant: Tenant, time: Date) -> JSONObject {
        let ip = hostOnly(e.clientIP)
        var o = common(time: time, id: id, operation: operation, tenant: tenant, recordType: recordType,
                       resultStatus: e.succeeded ? "Succeeded" : "Failed", userKey: actor.puid ?? actor.userPrincipalName,
                       userType: e.logonType == .Admin && actor.isAdmin ? 2 : 0, workload: "Exchange")
        o["ClientIP"] = .string(ip)
        o["UserId"] = .string(actor.userPrincipalName)
        o["AppId"] = .string(appId(forClient: e.clientInfoString))
        o["ClientAppId"] = .string("")
        o["ClientIPAddress"] = .string(ip)
        o["ClientInfoString"] = .string(e.clientInfoString)
        o["ExternalAccess"] = .bool(false)
        o["InternalLogonType"] = .int(e.logonType.recordValue)
        o["LogonType"] = .int(e.logonType.recordValue)
        o["LogonUserSid"] = .string(actor.sid)
        o["MailboxGuid"] = .string(guid(mailbox.guid))
        o["MailboxOwnerSid"] = .string(mailbox.sid)
        o["MailboxOwnerUPN"] = .string(mailbox.userPrincipalName)
        o["OrganizationName"] = .string(tenant.info.initialDomain)
        o["OriginatingServer"] = .string(serverName(for: mailbox.guid))
        o["SessionId"] = .string(guid(e.sessionId))
        return o
    }

    /// Inserts `key` among the mailbox schema fields keeping them alphabetical (they follow
    /// UserId; the fields after them belong to the derived record class).
    static func insertSorted(_ o: inout JSONObject, _ key: String, _ value: JSONValue) {
        var rebuilt = JSONObject()
        var inserted = false
        var pastCommon = false
        for (k, v) in o.pairs {
            if pastCommon, !inserted, k > key { rebuilt[key] = value; inserted = true }
            rebuilt[k] = v
            if k == "UserId" { pastCommon = true }
        }
        if !inserted { rebuilt[key] = value }
        o = rebuilt
    }

    static func item(_ i: ItemReference, mailbox: Mailbox) -> JSONObject {
        var o = JSONObject()
        if !i.attachments.isEmpty { o["Attachments"] = .string(attachments(i)) }
        o["Id"] = .string(i.itemId)
        o["InternetMessageId"] = .string(i.internetMessageId)
        o["IsRecord"] = .bool(false)
        o["ParentFolder"] = .object(folder(i.folderPath, mailbox: mailbox))
        o["SizeInBytes"] = .int(i.sizeBytes)
        o["Subject"] = .string(i.subject)
        return o
    }

    static func folder(_ path: String, mailbox: Mailbox) -> JSONObject {
        ["Id": .string(folderId(path, mailbox: mailbox)), "Path": .string(path.hasPrefix("\\") ? path : "\\" + path)]
    }

    static func folderId(_ path: String, mailbox: Mailbox) -> String {
        MailFolder.folderId(mailbox: mailbox.guid, name: folderName(path))
    }

    static func folderName(_ path: String) -> String {
        String(path.split(separator: "\\").last ?? Substring(path))
    }

    /// `report.pdf (48213b); logo.png (599b)`: names with sizes in bytes. [ELASTIC test-exchange-item]
    static func attachments(_ i: ItemReference) -> String {
        let share = i.attachments.isEmpty ? 0 : i.sizeBytes / (i.attachments.count + 1)
        return i.attachments.map { $0.hasSuffix("b)") ? $0 : "\($0) (\(share)b)" }.joined(separator: "; ")
    }

    /// The AppId of the client behind a ClientInfoString (OWA, Outlook, REST); empty when the
    /// protocol carries none (IMAP, POP, ActiveSync).
    static func appId(forClient clientInfo: String) -> String {
        let c = clientInfo.lowercased()
        if c.hasPrefix("client=owa") { return "00000002-0000-0ff1-ce00-000000000000" }
        if c.hasPrefix("client=msexchangerpc") || c.contains("outlook") { return "d3590ed6-52b3-4102-aeff-aad2292ab01c" }
        if c.hasPrefix("client=rest") { return "00000003-0000-0000-c000-000000000000" }
        return ""
    }

    static func nameValue(_ name: String, _ value: String) -> JSONValue {
        .object(["Name": .string(name), "Value": .string(value)])
    }

    static func modifiedProperty(_ name: String, new: String, old: String) -> JSONValue {
        .object(["Name": .string(name), "NewValue": .string(new), "OldValue": .string(old)])
    }

    static func identity(_ id: String, _ type: Int) -> JSONValue {
        .object(["ID": .string(id), "Type": .int(type)])
    }

    /// DeviceProperties BrowserType: the browser family (`Chrome`, `Firefox`, `IE`, `Safari`,
    /// `Edge`) or `Other`. [golden t1110.003, t1592.004]
    static func browserType(_ browser: String?) -> String {
        guard let first = browser?.split(separator: " ").first, !first.isEmpty else { return "Other" }
        let known = ["Chrome", "Firefox", "IE", "Safari", "Edge", "Opera"]
        return known.first { $0.lowercased() == first.lowercased() } ?? "Other"
    }

    static func resourceDisplayName(_ resourceId: String) -> String {
        switch resourceId {
        case "00000002-0000-0ff1-ce00-000000000000": "Office 365 Exchange Online"
        case "00000002-0000-0000-c000-000000000000": "Windows Azure Active Directory"
        case "00000003-0000-0000-c000-000000000000": "Microsoft Graph"
        case "00000003-0000-0ff1-ce00-000000000000": "Office 365 SharePoint Online"
        default: ""
        }
    }

    /// UAL `LogonError` names by AADSTS code. [EXCHANGE-FACTS 5.4; golden t1110.003]
    static let logonErrors: [Int: String] = [
        50034: "UserAccountNotFound", 50053: "IdsLocked", 50055: "InvalidPasswordExpiredPassword",
        50057: "UserAccountDisabled", 50074: "UserStrongAuthClientAuthNRequiredInterrupt",
        50076: "UserStrongAuthClientAuthNRequired", 50079: "UserStrongAuthEnrollmentRequired",
        50126: "InvalidUserNameOrPassword", 53003: "BlockedByConditionalAccess",
        500011: "InvalidResourceServicePrincipalNotFound",
    ]

    /// Graph `status.failureReason` by AADSTS code (Entra's error descriptions).
    static let failureReasons: [Int: String] = [
        50034: "The user account does not exist in the directory.",
        50053: "Account is locked because user tried to sign in too many times with an incorrect user ID or password.",
        50057: "User account is disabled. The account has been disabled by an administrator.",
        50076: "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access.",
        50079: "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access.",
        50126: "Error validating credentials due to invalid username or password.",
        53003: "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
    ]

    static let additionalDetails: [Int: String] = [
        50126: "The user didn't enter the right credentials. It's expected to see some number of these errors in your logs due to users making mistakes.",
        50053: "The account is locked out because of too many failed sign-in attempts.",
    ]

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
