import Foundation
import TenantModel

/// `Get-MobileDevice` and `Remove-MobileDevice`: the device partnerships of mailboxes.
/// [OPS Get-MobileDevice.md, Remove-MobileDevice.md; EXCHANGE-FACTS 2.4]
enum MobileDeviceCmdlets {
    static let definitions: [CmdletDefinition] = [getMobileDevice, removeMobileDevice]

    /// Internal links of the model that Get-MobileDevice does not show.
    static let hidden: Set<String> = ["MailboxGuid", "MailboxName", "IsProvisionable"]

    static let getMobileDevice = CmdletDefinition(
        "Get-MobileDevice", module: .exchange,
        synopsis: "Gets the mobile devices that have a partnership with mailboxes.",
        parameters: [
            ParameterDefinition("Identity", .identity("MobileDeviceIdParameter"), position: 0, pipeline: .byValue,
                                help: "The device: <mailbox>\\ExchangeActiveSyncDevices\\<DeviceType>§<DeviceId>, its name or GUID."),
            ParameterDefinition("Mailbox", .identity("MailboxIdParameter"),
                                help: "Only the devices of this mailbox."),
            ExchangeSupport.resultSizeParameter,
            ParameterDefinition("Filter", .string,
                                help: "An OPATH filter on device properties, e.g. \"DeviceType -eq 'Android'\"."),
            ParameterDefinition("ActiveSync", .switchParameter, help: "Only Exchange ActiveSync devices (ClientType EAS)."),
            ParameterDefinition("OWAforDevices", .switchParameter, help: "Only devices using the OWA for Devices app (ClientType MOWA)."),
            ParameterDefinition("RestApi", .switchParameter, help: "Only devices using the REST API, such as Outlook for iOS and Android."),
            ParameterDefinition("UniversalOutlook", .switchParameter, help: "Only Windows 10 Mail and Calendar devices."),
        ],
        body: getBody)

    static let removeMobileDevice = CmdletDefinition(
        "Remove-MobileDevice", module: .exchange,
        synopsis: "Removes a mobile device partnership from its mailbox.",
        parameters: [
            ParameterDefinition("Identity", .identity("MobileDeviceIdParameter"), position: 0, mandatory: true, pipeline: .byValue,
                                help: "The device to remove: its identity, name or GUID, or a device from Get-MobileDevice."),
        ],
        supportsShouldProcess: true, confirmsByDefault: true,
        body: removeBody)

    // MARK: Get-MobileDevice

    static func getBody(_ context: CmdletContext, _ parameters: BoundParameters, _ input: PSValue?) throws -> [PSValue] {
        let tenant = context.tenant
        let filter = try OPathFilter.bound(parameters, schema: MobileDevice.schema, hidden: hidden, cmdlet: context.definition.name)
        var indexes = Array(tenant.mobileDevices.indices)
        if let identity = parameters.value("Identity"), !identity.isNull {
            indexes = matchingDevices(identity, in: tenant)
            if indexes.isEmpty {
                context.writeError(ShellError.objectNotFound(ExchangeSupport.identityText(identity), cmdlet: context.definition.name))
                return []
            }
        }
        if let mailbox = parameters.value("Mailbox"), !mailbox.isNull {
            let m: Int
            do throws(ShellError) {
                m = try ExchangeSupport.mailboxIndex(mailbox, context)
            } catch {
                context.writeError(error)
                return []
            }
            let guid = tenant.mailboxes[m].guid
            indexes = indexes.filter { tenant.mobileDevices[$0].mailboxGuid == guid }
        }
        // The client-type switches add up; none given means every client type. (REST covers
        // Outlook for iOS and Android, whose partnerships are named REST§Outlook§…; INFERRED.)
        var types: Set<MobileClientType> = []
        if parameters.isOn("ActiveSync") { types.insert(.EAS) }
        if parameters.isOn("OWAforDevices") { types.insert(.MOWA) }
        if parameters.isOn("RestApi") { types.formUnion([.REST, .Outlook]) }
        if parameters.isOn("UniversalOutlook") { types.insert(.UniversalOutlook) }
        if !types.isEmpty { indexes = indexes.filter { types.contains(tenant.mobileDevices[$0].clientType) } }
        if let (filter, schema) = filter {
            indexes = indexes.filter { filter.matches(tenant.mobileDevices[$0], schema: schema) }
        }
        return MailboxCmdlets.limited(indexes, parameters, context) { i in
            view(tenant.mobileDevices[i])
        }
    }

    static func view(_ device: MobileDevice) -> PSValue {
        .object(PSObject.view(device, typeName: TypeNames.mobileDevice, ref: .mobileDevice(device.guid), hidden: hidden))
    }

    /// The devices a MobileDeviceIdParameter names: an object from Get-MobileDevice, the GUID,
    /// the full identity path, or the partnership's name (`iPhone§ApplF17XQ1NZ0D5`).
    static func matchingDevices(_ identity: PSValue, in tenant: Tenant) -> [Int] {
        if case .object(let o) = identity, case .mobileDevice(let g)? = o.ref,
           let i = tenant.mobileDevices.firstIndex(where: { $0.guid == g }) {
            return [i]
        }
        let text = ExchangeSupport.identityText(identity).trimmedWhitespace
        if let g = UUID.parse(text), let i = tenant.mobileDevices.firstIndex(where: { $0.guid == g }) { return [i] }
        let key = text.lowercased()
        let byIdentity = tenant.mobileDevices.indices.filter { tenant.mobileDevices[$0].identity.lowercased() == key }
        if !byIdentity.isEmpty { return byIdentity }
        return tenant.mobileDevices.indices.filter { tenant.mobileDevices[$0].name.lowercased() == key }
    }

    // MARK: Remove-MobileDevice

    static func removeBody(_ context: CmdletContext, _ parameters: BoundParameters, _ input: PSValue?) throws -> [PSValue] {
        guard let identity = parameters.value("Identity") else { return [] }
        let matches = matchingDevices(identity, in: context.tenant)
        let text = ExchangeSupport.identityText(identity)
        guard let first = matches.first else {
            context.writeError(ShellError.objectNotFound(text, cmdlet: context.definition.name))
            return []
        }
        guard matches.count == 1 else {
            context.writeError(ShellError.ambiguousIdentity(text, cmdlet: context.definition.name))
            return []
        }
        let device = context.tenant.mobileDevices[first]
        guard context.shouldProcess(target: device.identity) else { return [] }
        context.session.commit(context.definition.name, objectId: device.identity,
                               parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
            tenant.mobileDevices.removeAll { $0.guid == device.guid }
        }
        return []
    }
}
