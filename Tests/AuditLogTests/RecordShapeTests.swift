import AuditLog
import Foundation
import TenantModel
import Testing

/// Each record kind the simulator writes, against its real counterpart in
/// `shared/golden/det-eng-samples/dataset`: the same fields in the same order, the same
/// JSON types, nested values of the same shape, and the real value formats.
@Suite("Record shapes match the golden records")
struct RecordShapeTests {
    typealias F = AuditFixtures

    func recorded(_ event: AuditEvent, in tenant: Tenant = F.tenant()) -> [UnifiedAuditRecord] {
        var trail = AuditTrail()
        trail.record(event, in: tenant)
        return trail.unified
    }

    func assertSameShape(_ ours: JSONObject, _ golden: JSONObject, ordered: Bool = true,
                         sourceLocation: SourceLocation = #_sourceLocation) {
        let diff = Shape.differences(.object(ours), .object(golden), ordered: ordered)
        #expect(diff.isEmpty, "\(diff.joined(separator: "\n"))\nours: \(ours.text)", sourceLocation: sourceLocation)
    }

    func names(_ value: JSONValue?) -> [String] {
        value?.arrayValue?.compactMap { $0.objectValue?["Name"]?.stringValue } ?? []
    }

    func types(_ value: JSONValue?) -> [Int] {
        value?.arrayValue?.compactMap { if case .int(let n) = $0.objectValue?["Type"] { n } else { nil } } ?? []
    }

    // MARK: RecordType 15

    @Test func userLoggedInHasTheGoldenShape() throws {
        let golden = try Golden.record("t1110.003_msolspray-powershell.json", operation: "UserLoggedIn")
        let ours = try #require(recorded(.signIn(F.signIn())).first).auditData
        assertSameShape(ours, golden)
        #expect(ours["ResultStatus"]?.stringValue == "Success")
        #expect(ours["ErrorNumber"]?.stringValue == "0")
        #expect(ours["LogonError"] == nil)
        #expect(names(ours["ExtendedProperties"]) == names(golden["ExtendedProperties"]))
        #expect(names(ours["DeviceProperties"]) == names(golden["DeviceProperties"]))
        #expect(types(ours["Actor"]) == types(golden["Actor"]))
        #expect(types(ours["Target"]) == types(golden["Target"]))
        #expect(Format.matches(ours["CreationTime"]?.stringValue, Format.creationTime))
        #expect(Format.matches(ours["ClientIP"]?.stringValue, Format.address))
        #expect(ours["Id"] == ours["IntraSystemId"])
        #expect(Format.matches(ours["UserKey"]?.stringValue, Format.guid))
    }

    @Test func everyGoldenUserLoggedInRecordHasOurFieldsInOurOrder() throws {
        let ours = try #require(recorded(.signIn(F.signIn())).first).auditData
        let goldens = try Golden.all(operation: "UserLoggedIn")
        #expect(goldens.count >= 10)
        for golden in goldens { #expect(golden.keys == ours.keys) }
    }

    @Test func userLoginFailedHasTheGoldenShape() throws {
        let golden = try Golden.record("t1110.003_msolspray-powershell.json", operation: "UserLoginFailed")
        let ours = try #require(recorded(.signIn(F.signIn(succeeded: false))).first).auditData
        assertSameShape(ours, golden)
        #expect(ours["ResultStatus"]?.stringValue == "Failed")
        #expect(ours["ErrorNumber"]?.stringValue == "50126")
        #expect(ours["LogonError"]?.stringValue == "InvalidUserNameOrPassword")
        #expect(names(ours["ExtendedProperties"]) == names(golden["ExtendedProperties"]))
        #expect(names(ours["DeviceProperties"]) == names(golden["DeviceProperties"]))
        for golden in try Golden.all(operation: "UserLoginFailed") { #expect(golden.keys == ours.keys) }
    }

    // MARK: RecordType 1

    /// (golden file, cmdlet, parameters as the admin typed them, identity)
    static let adminCases: [(String, String, [(String, String)], String)] = [
        ("t1562_Set-Mailbox-AuditLogAgeLimitoZero.json", "Set-Mailbox",
         [("Identity", "bob@contoso.onmicrosoft.com"), ("AuditLogAgeLimit", "00:00:00")], "bob@contoso.onmicrosoft.com"),
        ("t1562-UnifiedAuditlogIngestion-Stopped.json", "Set-AdminAuditLogConfig",
         [("UnifiedAuditLogIngestionEnabled", "False")], "Admin Audit Log Settings"),
        ("t1098.002_Mail Account Delegation full access permissions.json", "Add-MailboxPermission",
         [("Identity", "carol@contoso.onmicrosoft.com"), ("AccessRights", "FullAccess"), ("User", "bob@contoso.onmicrosoft.com"),
          ("InheritanceType", "All")], "carol@contoso.onmicrosoft.com"),
        ("t1562-Set-MailboxAuditBypassAssociation.json", "Set-MailboxAuditBypassAssociation",
         [("AuditBypassEnabled", "True"), ("Identity", "bob@contoso.onmicrosoft.com")], "bob@contoso.onmicrosoft.com"),
        ("t1114.002_Enable_POP_IMAP_OWA.json", "Set-CASMailbox",
         [("Identity", "bob@contoso.onmicrosoft.com"), ("ImapEnabled", "True"), ("PopEnabled", "True")], "bob@contoso.onmicrosoft.com"),
        ("t1564.008_New inbox rule to delete email.csv", "New-InboxRule",
         [("AlwaysDeleteOutlookRulesBlob", "False"), ("Force", "False"), ("Name", "Direct"), ("SubjectContainsWords", "Attention"),
          ("DeleteMessage", "True"), ("StopProcessingRules", "True")], "bob@contoso.onmicrosoft.com\\Direct"),
    ]

    @Test(arguments: adminCases.indices)
    func exchangeAdminRecordHasTheGoldenShape(_ index: Int) throws {
        let (file, cmdlet, parameters, identity) = Self.adminCases[index]
        let golden = try Golden.record(file, operation: cmdlet)
        let ours = try #require(recorded(.adminCmdlet(F.cmdlet(cmdlet, parameters, objectId: identity))).first).auditData
        assertSameShape(ours, golden)
        #expect(ours["RecordType"] == .int(1))
        #expect(ours["ResultStatus"]?.stringValue == "True")
        #expect(ours["UserType"] == .int(2))
        #expect(Format.matches(ours["UserKey"]?.stringValue, Format.puid))
        #expect(Format.matches(ours["ClientIP"]?.stringValue, Format.addressWithPort))
        #expect(Format.matches(golden["ClientIP"]?.stringValue, Format.addressWithPort))
        #expect(Format.matches(ours["OriginatingServer"]?.stringValue, Format.server))
        #expect(Format.matches(golden["OriginatingServer"]?.stringValue, Format.server))
        #expect(ours["AppId"]?.stringValue == RecordFactory.exchangePowerShellAppId)
        #expect(names(ours["Parameters"]) == parameters.map(\.0))
        for value in ours["Parameters"]?.arrayValue ?? [] { #expect(value.objectValue?["Value"]?.stringValue != nil) }
        #expect(Format.matches(ours["SessionId"]?.stringValue, Format.guid))
    }

    @Test func mailboxCmdletObjectIdIsTheOwnersDirectoryId() throws {
        let tenant = F.tenant()
        let bob = try #require(tenant.user(upn: F.upn("bob")))
        let set = try #require(recorded(.adminCmdlet(F.cmdlet("Set-Mailbox", [("Identity", "bob")], objectId: "bob")), in: tenant).first)
        #expect(set.objectId == RecordFactory.guid(bob.objectId))
        let rule = try #require(recorded(.adminCmdlet(F.cmdlet("Set-InboxRule", [("Identity", "Accounts")],
                                                               objectId: "bob\\Accounts")), in: tenant).first)
        #expect(rule.objectId == RecordFactory.guid(bob.objectId) + "\\Accounts")
        let config = try #require(recorded(.adminCmdlet(F.cmdlet("Set-AdminAuditLogConfig", [("UnifiedAuditLogIngestionEnabled", "True")],
                                                                 objectId: "x"))).first)
        #expect(config.objectId == "Admin Audit Log Settings")
    }

    @Test func aServiceRunCmdletHasTheGoldenSystemShape() throws {
        let golden = try Golden.record("t1098.002_Mail Account Delegation full access permissions.csv", operation: "Add-MailboxPermission")
        let event = F.cmdlet("Add-MailboxPermission", [("DomainController", ""), ("Identity", "carol"), ("User", "bob"),
                                                        ("AccessRights", "FullAccess")], objectId: "carol", actor: nil)
        let ours = try #require(recorded(.adminCmdlet(event)).first).auditData
        assertSameShape(ours, golden)
        #expect(ours["UserKey"] == golden["UserKey"])
        #expect(ours["UserType"] == .int(3))
        #expect(ours["ExternalAccess"] == .bool(true))
    }

    @Test func exchangeRecordIdsEndWithTheCreationTimeInTicksAsTheGoldenIdsDo() throws {
        func tickSeconds(_ id: String) -> Double {
            let tail = UInt64(id.suffix(12), radix: 16)!
            return Double(tail << 16) / 10_000_000 - 62_135_596_800
        }
        for golden in try Golden.records("t1562_Set-Mailbox-AuditLogAgeLimitoZero.json")
            + Golden.records("t1562-UnifiedAuditlogIngestion-Stopped.json") {
            let created = try #require(ISO8601.parse(golden["CreationTime"]!.stringValue! + "Z")).timeIntervalSince1970
            #expect(abs(tickSeconds(golden["Id"]!.stringValue!) - created) < 2)
        }
        let ours = try #require(recorded(.adminCmdlet(F.cmdlet("Set-Mailbox", [("Identity", "bob")], objectId: "bob"))).first)
        let id = try #require(ours.auditData["Id"]?.stringValue)
        #expect(Format.matches(id, Format.guid))
        #expect(abs(tickSeconds(id) - F.start.timeIntervalSince1970) < 1)
    }

    // MARK: RecordType 8

    @Test(arguments: ["Disable Strong Authentication.", "Update user.", "Delete application password for user."])
    func directoryChangeHasTheGoldenShape(_ operation: String) throws {
        let golden = try Golden.record("t1556_Disable _Strong_Authentication.json", operation: operation)
        let ours = try #require(recorded(.directoryChange(F.directory(operation))).first).auditData
        assertSameShape(ours, golden)
        #expect(names(ours["ExtendedProperties"]) == names(golden["ExtendedProperties"]))
        #expect(names(ours["ModifiedProperties"]) == names(golden["ModifiedProperties"]))
        #expect(ours["ExtendedProperties"] == golden["ExtendedProperties"])
        #expect(types(ours["Actor"]) == types(golden["Actor"]))
        #expect(types(ours["Target"]) == types(golden["Target"]))
        #expect(ours["ResultStatus"]?.stringValue == "Success")
        #expect(Format.matches(ours["UserKey"]?.stringValue, #"^[0-9A-F]{16}@contoso\.onmicrosoft\.com$"#))
        #expect(Format.matches(golden["UserKey"]?.stringValue, #"^[0-9A-F]{16}@contoso\.onmicrosoft\.com$"#))
    }

    @Test func everyGoldenUpdateUserRecordHasOurTopLevelFields() throws {
        let ours = try #require(recorded(.directoryChange(F.directory("Update user."))).first).auditData
        for golden in try Golden.all(operation: "Update user.") { #expect(golden.keys == ours.keys) }
    }

    // MARK: Mailbox records (2, 3, 50)
    //
    // The golden dataset has no mailbox records, so these are held to the golden Exchange
    // records' common schema (order and types), to the mailbox fields of the Management
    // Activity API schema and to the real item records of the Elastic fixtures (EXCHANGE-FACTS 5.4–5.5).

    /// The common part of the golden Exchange records: CreationTime … UserId, ObjectId aside.
    func goldenExchangeCommon() throws -> [String] {
        try Golden.record("t1562_Set-Mailbox-AuditLogAgeLimitoZero.json", operation: "Set-Mailbox").keys
            .prefix { $0 != "AppId" }.filter { $0 != "ObjectId" }
    }

    /// The Exchange mailbox schema fields every mailbox record carries, alphabetical as the
    /// service serialises them. [MAPI schema; ELASTIC test-exchange-item]
    static let mailboxFields = ["AppId", "ClientAppId", "ClientIPAddress", "ClientInfoString", "ExternalAccess", "InternalLogonType",
                                "LogonType", "LogonUserSid", "MailboxGuid", "MailboxOwnerSid", "MailboxOwnerUPN", "OrganizationName",
                                "OriginatingServer", "SessionId"]

    func assertMailboxCommon(_ ours: JSONObject, extra: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let common = try goldenExchangeCommon()
        let golden = try Golden.record("t1562_Set-Mailbox-AuditLogAgeLimitoZero.json", operation: "Set-Mailbox")
        #expect(Array(ours.keys.prefix(common.count)) == common, sourceLocation: sourceLocation)
        for key in common where key != "ResultStatus" && key != "UserKey" {
            #expect(Shape.kind(ours[key]!) == Shape.kind(golden[key]!), "\(key)", sourceLocation: sourceLocation)
        }
        var mailbox = Self.mailboxFields
        if ours["OperationProperties"] != nil { mailbox.insert("OperationProperties", at: mailbox.firstIndex(of: "OrganizationName")!) }
        #expect(Array(ours.keys.dropFirst(common.count)) == mailbox + extra, sourceLocation: sourceLocation)
        #expect(ours["ResultStatus"]?.stringValue == "Succeeded", sourceLocation: sourceLocation)
        #expect(Format.matches(ours["CreationTime"]?.stringValue, Format.creationTime), sourceLocation: sourceLocation)
        #expect(Format.matches(ours["MailboxGuid"]?.stringValue, Format.guid), sourceLocation: sourceLocation)
        #expect(Format.matches(ours["MailboxOwnerSid"]?.stringValue, #"^S-1-5-21-\d+-\d+-\d+-\d+$"#), sourceLocation: sourceLocation)
        #expect(Format.matches(ours["ClientIP"]?.stringValue, Format.address), sourceLocation: sourceLocation)
        #expect(Format.matches(ours["OriginatingServer"]?.stringValue, Format.server), sourceLocation: sourceLocation)
        for key in ["LogonType", "InternalLogonType"] {
            #expect(Shape.kind(ours[key]!) == "int", sourceLocation: sourceLocation)
        }
        #expect(Shape.kind(ours["ExternalAccess"]!) == "bool", sourceLocation: sourceLocation)
    }

    /// The Create record of the Elastic fixture test-exchange-item.log (keys as captured,
    /// sorted by the fixture): the Item it carries.
    static let elasticItem = #"{"Attachments":"a.png (599b)","Id":"RgAAAACklF6s","InternetMessageId":"<AM6PR01MB4535@x.prod.exchangelabs.com>","IsRecord":false,"ParentFolder":{"Id":"LgAAAACklF6s","Path":"\\Inbox"},"Subject":"The new SIEMTest group is ready"}"#

    @Test func mailboxItemRecordHasTheExchangeItemShape() throws {
        let tenant = F.tenant()
        var item = F.message(1, folder: "\\Sent Items")
        item.attachments = ["a.png"]
        let ours = try #require(recorded(.mailboxAction(F.action(.Send, on: F.mailbox(tenant, "bob"), items: [item])), in: tenant).first)
        #expect(ours.recordType == .ExchangeItem)
        try assertMailboxCommon(ours.auditData, extra: ["Item"])
        let elastic = try OrderedJSON.parseObject(Self.elasticItem)
        var itemObject = try #require(ours.auditData["Item"]?.objectValue)
        #expect(itemObject["SizeInBytes"] == .int(item.sizeBytes))
        itemObject["SizeInBytes"] = nil
        #expect(Shape.differences(.object(itemObject), .object(elastic)).isEmpty, "\(itemObject.text)")
        #expect(Format.matches(itemObject["Attachments"]?.stringValue, #"^a\.png \(\d+b\)$"#))
    }

    @Test func mailboxGroupRecordHasTheExchangeItemGroupShape() throws {
        let tenant = F.tenant()
        let event = F.action(.MoveToDeletedItems, on: F.mailbox(tenant, "bob"), items: [F.message(1), F.message(2)], folder: "\\Inbox")
        let ours = try #require(recorded(.mailboxAction(event), in: tenant).first)
        #expect(ours.recordType == .ExchangeItemGroup)
        try assertMailboxCommon(ours.auditData, extra: ["AffectedItems", "CrossMailboxOperation", "DestFolder", "Folder"])
        let elastic = try OrderedJSON.parseObject(Self.elasticItem)
        for affected in ours.auditData["AffectedItems"]?.arrayValue ?? [] {
            var o = try #require(affected.objectValue)
            o["SizeInBytes"] = nil
            o["Attachments"] = elastic["Attachments"]
            #expect(Shape.differences(.object(o), .object(elastic), ordered: false).isEmpty)
        }
        #expect(ours.auditData["DestFolder"]?.objectValue?["Path"] == .string("\\Deleted Items"))
        #expect(ours.auditData["Folder"]?.objectValue?.keys == ["Id", "Path"])
        #expect(ours.auditData["CrossMailboxOperation"] == .bool(false))
    }

    @Test func mailItemsAccessedRecordHasTheAggregatedShape() throws {
        let tenant = F.tenant()
        let event = F.action(.MailItemsAccessed, on: F.mailbox(tenant, "bob"), items: [F.message(1), F.message(2)], accessType: "Bind")
        let ours = try #require(recorded(.mailboxAction(event), in: tenant).first)
        #expect(ours.recordType == .ExchangeItemAggregated)
        #expect(ours.auditData["RecordType"] == .int(50))
        try assertMailboxCommon(ours.auditData, extra: ["Folders", "OperationCount"])
        #expect(ours.auditData["OperationProperties"] == .array([
            .object(["Name": .string("MailAccessType"), "Value": .string("Bind")]),
            .object(["Name": .string("IsThrottled"), "Value": .string("False")]),
        ]))
        #expect(ours.auditData["OperationCount"] == .int(2))
        let folder = try #require(ours.auditData["Folders"]?.arrayValue?.first?.objectValue)
        #expect(folder.keys == ["FolderItems", "Id", "Path"])
        #expect(folder["FolderItems"]?.arrayValue?.first?.objectValue?.keys == ["Id", "InternetMessageId", "SizeInBytes"])
        #expect(folder["Path"] == .string("\\Inbox"))
    }

    @Test func mailboxLoginRecordCarriesNoItem() throws {
        var tenant = F.tenant()
        F.updateMailbox(&tenant, "bob") { $0.setAuditActions($0.auditOwner.union([.MailboxLogin]), for: .Owner) }
        let ours = try #require(recorded(.mailboxAction(F.action(.MailboxLogin, on: F.mailbox(tenant, "bob"))), in: tenant).first)
        try assertMailboxCommon(ours.auditData, extra: [])
        #expect(ours.auditData["LogonType"] == .int(0))
    }

    // MARK: The Entra sign-in log

    /// The property order of Graph's `GET /auditLogs/signIns` example. [GRAPH signin-list.md]
    static let graphSignInKeys = ["id", "createdDateTime", "userDisplayName", "userPrincipalName", "userId", "appId", "appDisplayName",
                                  "ipAddress", "clientAppUsed", "correlationId", "conditionalAccessStatus", "isInteractive",
                                  "riskDetail", "riskLevelAggregated", "riskLevelDuringSignIn", "riskState", "riskEventTypes",
                                  "riskEventTypes_v2", "resourceDisplayName", "resourceId", "status", "deviceDetail", "location",
                                  "appliedConditionalAccessPolicies"]

    @Test func signInLogEntryHasTheGraphSignInShape() throws {
        var trail = AuditTrail()
        trail.record(.signIn(F.signIn(succeeded: false)), in: F.tenant())
        let entry = try #require(trail.signIns.first).resource
        #expect(entry.keys == Self.graphSignInKeys)
        #expect(entry["status"]?.objectValue?.keys == ["errorCode", "failureReason", "additionalDetails"])
        #expect(entry.value(atPath: "status.errorCode") == .int(50126))
        #expect(entry["deviceDetail"]?.objectValue?.keys == ["deviceId", "displayName", "operatingSystem", "browser", "isCompliant",
                                                             "isManaged", "trustType"])
        #expect(entry["location"]?.objectValue?.keys == ["city", "state", "countryOrRegion", "geoCoordinates"])
        #expect(entry["conditionalAccessStatus"] == .string("notApplied"))
        #expect(entry["isInteractive"] == .bool(false))
        #expect(Format.matches(entry["createdDateTime"]?.stringValue, #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"#))
        #expect(entry["ipAddress"] == .string("203.0.113.9"))
        // The sign-in log and the unified audit log name the sign-in by the same request id.
        #expect(entry["id"]?.stringValue == trail.unified.first?.auditData["Id"]?.stringValue)
        #expect(entry["correlationId"]?.stringValue == trail.unified.first?.auditData["InterSystemsId"]?.stringValue)
    }
}
