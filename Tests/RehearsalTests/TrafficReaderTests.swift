import AccessControl
import Foundation
import Testing
import TenantModel
import TenantStore
@testable import Rehearsal

/// The Entra admin center's sign-in CSV export and Graph's /auditLogs/signIns JSON, on
/// sample files written from the documented column sets.
@Suite struct TrafficReaderTests {
    /// The interactive sign-ins export's header (Entra admin center → Sign-in logs → Download → CSV).
    static let entraHeader = "Date (UTC),Request ID,User agent,Correlation ID,User ID,User,Username,User type,Cross tenant access type,Incoming token type,Authentication Protocol,Unique token identifier,Original transfer method,Client credential type,Token Protection - Sign In Session,Application,Application ID,Resource,Resource ID,Resource tenant ID,Home tenant ID,Home tenant name,IP address,Location,Status,Sign-in error code,Failure reason,Client app,Device ID,Browser,Operating System,Compliant,Managed,Join Type,Multifactor authentication result,Multifactor authentication auth method,Multifactor authentication auth detail,Authentication requirement,Sign-in identifier,Session ID,IP address (seen by resource),Through Global Secure Access,Global Secure Access IP address,Autonomous system  number,Flagged for review,Token issuer type,Incoming token type,Token issuer name,Latency,Conditional Access,Managed Identity type,Associated Resource Id,Federated Token Id,Federated Token Issuer"

    static func entraRow(date: String, user: String, upn: String, app: String, ip: String, status: String, code: Int, clientApp: String, browser: String, os: String) -> String {
        let cells = [date, UUID().uuidString, "Mozilla/5.0", UUID().uuidString, UUID().uuidString, user, upn, "Member", "none", "none", "none", "", "", "", "",
                     app, "00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000", "", "", "", ip,
                     "Seattle, Washington, US", status, "\(code)", code == 0 ? "Other." : "Invalid username or password, or invalid on-premise username or password.",
                     clientApp, "", browser, os, "No", "No", "", "", "", "", "Single-factor authentication", upn, "", "", "No", "", "", "No", "AzureAD", "", "", "0", "Not Applied", "", "", "", ""]
        return cells.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",")
    }

    static var entraSample: String {
        [entraHeader,
         entraRow(date: "2019-06-17T09:12:03Z", user: "Britton", upn: "britton@brittest.onmicrosoft.com", app: "Office 365 Exchange Online", ip: "198.51.100.10",
                  status: "Success", code: 0, clientApp: "Browser", browser: "Edge 18.17763", os: "Windows10"),
         entraRow(date: "2019-06-17T09:13:44Z", user: "Adele", upn: "adele@brittest.onmicrosoft.com", app: "Office 365 Exchange Online", ip: "203.0.113.7",
                  status: "Failure", code: 50126, clientApp: "IMAP4", browser: "", os: ""),
         entraRow(date: "2019-06-17T09:14:10Z", user: "Britton", upn: "britton@brittest.onmicrosoft.com", app: "Microsoft Exchange REST API Based Powershell", ip: "198.51.100.10",
                  status: "Success", code: 0, clientApp: "Mobile Apps and Desktop clients", browser: "", os: "Windows10"),
         entraRow(date: "2019-06-17T09:15:00Z", user: "Britton", upn: "britton@brittest.onmicrosoft.com", app: "Office 365 Exchange Online", ip: "203.0.113.9",
                  status: "Success", code: 0, clientApp: "Exchange ActiveSync", browser: "", os: "Ios 12.3.1"),
         entraRow(date: "2019-06-17T09:16:00Z", user: "Adele, Vance", upn: "adele@brittest.onmicrosoft.com", app: "Office 365 Exchange Online", ip: "203.0.113.7",
                  status: "Success", code: 0, clientApp: "Authenticated SMTP", browser: "", os: ""),
         entraRow(date: "2019-06-17T09:17:00Z", user: "Adele", upn: "adele@brittest.onmicrosoft.com", app: "Some App", ip: "203.0.113.7",
                  status: "Success", code: 0, clientApp: "Carrier pigeon", browser: "", os: ""),
        ].joined(separator: "\r\n") + "\r\n"
    }

    static let graphSample = """
    {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns","value":[
     {"id":"66ea54eb-6301-4ee5-be62-ff5a759b0100","createdDateTime":"2019-06-17T09:12:03Z","userDisplayName":"Britton","userPrincipalName":"britton@brittest.onmicrosoft.com",
      "userId":"d7cc485d-2c1b-422c-98fd-5ce52859a4a3","appId":"00000002-0000-0ff1-ce00-000000000000","appDisplayName":"Office 365 Exchange Online","ipAddress":"198.51.100.10",
      "clientAppUsed":"Browser","correlationId":"c0b1","conditionalAccessStatus":"notApplied","isInteractive":true,"riskDetail":"none","riskLevelAggregated":"none",
      "status":{"errorCode":0,"failureReason":"Other.","additionalDetails":null},
      "deviceDetail":{"deviceId":"","displayName":"","operatingSystem":"Windows10","browser":"Edge 18.17763","isCompliant":false,"isManaged":false,"trustType":""},
      "location":{"city":"Seattle","state":"Washington","countryOrRegion":"US"}},
     {"id":"2","createdDateTime":"2019-06-17T09:13:44Z","userPrincipalName":"adele@brittest.onmicrosoft.com","appDisplayName":"Office 365 Exchange Online",
      "ipAddress":"203.0.113.7","clientAppUsed":"IMAP4","status":{"errorCode":50126,"failureReason":"Invalid username or password."},
      "deviceDetail":{"operatingSystem":"","browser":""}},
     {"id":"3","createdDateTime":"2019-06-17T09:14:10Z","userPrincipalName":"britton@brittest.onmicrosoft.com","appDisplayName":"Microsoft Exchange REST API Based Powershell",
      "ipAddress":"198.51.100.10","clientAppUsed":"Mobile Apps and Desktop clients","status":{"errorCode":0},"deviceDetail":{"operatingSystem":"Windows10"}}
    ]}
    """

    @Test func entraCSVColumns() throws {
        let records = try TrafficReader.read(data: Data(Self.entraSample.utf8))
        #expect(records.count == 6)
        #expect(records[0] == TrafficRecord(user: "britton@brittest.onmicrosoft.com", ipAddress: "198.51.100.10", clientApp: "Browser",
                                            application: "Office 365 Exchange Online", operatingSystem: "Windows10", browser: "Edge 18.17763",
                                            errorCode: 0, time: "2019-06-17T09:12:03Z"))
        #expect(records[1].errorCode == 50126)
        #expect(records[1].clientApp == "IMAP4")
        #expect(records[4].user == "adele@brittest.onmicrosoft.com")  // a quoted "User" cell with a comma doesn't shift columns
        #expect(records[4].clientApp == "Authenticated SMTP")
    }

    @Test func entraCSVWithBOMAndLF() throws {
        let text = "\u{FEFF}" + Self.entraSample.replacingOccurrences(of: "\r\n", with: "\n")
        let records = try TrafficReader.read(data: Data(text.utf8))
        #expect(records.count == 6)
        #expect(records[2].application == "Microsoft Exchange REST API Based Powershell")
    }

    @Test func graphJSON() throws {
        let records = try TrafficReader.read(data: Data(Self.graphSample.utf8))
        #expect(records.count == 3)
        #expect(records[0].operatingSystem == "Windows10")
        #expect(records[0].browser == "Edge 18.17763")
        #expect(records[1].errorCode == 50126)
        #expect(records[1].ipAddress == "203.0.113.7")
        #expect(records[2].time == "2019-06-17T09:14:10Z")
    }

    @Test func badFiles() {
        #expect(throws: TrafficError.self) { try TrafficReader.read(data: Data("Name,Value\nx,y\n".utf8)) }
        #expect(throws: TrafficError.self) { try TrafficReader.read(data: Data("{\"items\":[]}".utf8)) }
        #expect(throws: TrafficError.self) { try TrafficReader.read(data: Data("{\"value\":[{\"ipAddress\":\"1.2.3.4\"}]}".utf8)) }
        #expect(throws: TrafficError.self) { try TrafficReader.read(data: Data("{\"value\":[".utf8)) }
    }

    @Test func clientAppMapping() {
        func m(_ c: String, _ a: String = "") -> String? {
            ClientAppMapping.map(clientApp: c, application: a).map { "\($0.accessProtocol.rawValue)/\($0.authentication.rawValue)" }
        }
        #expect(m("IMAP4") == "IMAP4/BasicAuthentication")
        #expect(m("POP3") == "POP3/BasicAuthentication")
        #expect(m("Authenticated SMTP") == "SMTP/BasicAuthentication")
        #expect(m("Exchange ActiveSync") == "ExchangeActiveSync/BasicAuthentication")
        #expect(m("Exchange Online PowerShell") == "RemotePowerShell/BasicAuthentication")
        #expect(m("Exchange Web Services") == "ExchangeWebServices/BasicAuthentication")
        #expect(m("Browser", "Office 365 Exchange Online") == "OutlookWebApp/OAuthAuthentication")
        #expect(m("Mobile Apps and Desktop clients", "Microsoft Office") == "MAPI/OAuthAuthentication")
        #expect(m("Mobile Apps and Desktop clients", "Microsoft Exchange REST API Based Powershell") == "RemotePowerShell/OAuthAuthentication")
        #expect(m("Mobile Apps and Desktop clients", "Azure Active Directory PowerShell") == "AzureAD/OAuthAuthentication")
        #expect(ClientAppMapping.map(clientApp: "Mobile Apps and Desktop clients", application: "Outlook Mobile")?.isMiddleTierApp == true)
        #expect(m("Carrier pigeon") == nil)
    }

    /// Traffic turns into attempts with the user's real password, MFA done for modern
    /// clients; unknown client apps are counted, not replayed; duplicates are weighted.
    @Test func replaySet() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        var records = try TrafficReader.read(data: Data(Self.entraSample.utf8))
        records.append(records[1])
        let set = TrafficProbes.replay(records, before: tenant, after: tenant)
        #expect(set.rows == 7)
        #expect(set.unmapped == 1)
        #expect(set.attempts.count == 5)
        let imap = try #require(set.attempts.firstIndex { $0.accessProtocol == .IMAP4 })
        #expect(set.weights[imap] == 2)
        #expect(set.attempts[imap].password == tenant.user(upn: "adele@brittest.onmicrosoft.com")?.password)
        #expect(set.attempts[imap].mfaCompleted == false)
        let owa = try #require(set.attempts.first { $0.accessProtocol == .OutlookWebApp })
        #expect(owa.mfaCompleted)
        let eas = try #require(set.attempts.first { $0.accessProtocol == .ExchangeActiveSync })
        #expect(eas.device?.id == "ApplF17XQ1NZ0D5")
        // An administrator's addresses are known locations; other users' are not.
        #expect(set.knownLocations.contains("203.0.113.9"))
        #expect(!set.knownLocations.contains("203.0.113.7"))
    }
}
