import Foundation
import Testing
import TenantModel

private let policyGuid = UUID(uuidString: "5f3c2a1e-8b7d-4c6e-9a0f-1b2c3d4e5f60")!
private let policyCreated = ISO8601.parse("2026-03-02T09:00:00Z")!

/// The common directory properties that close both policies' property lists.
private let directoryProperties = ["Name", "Identity", "Guid", "WhenChanged", "WhenCreated"]

// MARK: - Mobile device mailbox policy [EXCHANGE-FACTS 2.5; OPS New-MobileDeviceMailboxPolicy]

private let mobileDefaults: [(String, String)] = [
    ("AllowNonProvisionableDevices", "True"),
    ("AlphanumericPasswordRequired", "False"),
    ("AttachmentsEnabled", "True"),
    ("DeviceEncryptionEnabled", "False"),
    ("RequireStorageCardEncryption", "False"),
    ("PasswordEnabled", "False"),
    ("PasswordRecoveryEnabled", "False"),
    ("DevicePolicyRefreshInterval", "Unlimited"),
    ("AllowSimplePassword", "True"),
    ("MaxAttachmentSize", "Unlimited"),
    ("WSSAccessEnabled", "True"),
    ("UNCAccessEnabled", "True"),
    ("MinPasswordLength", ""),
    ("MaxInactivityTimeLock", "Unlimited"),
    ("MaxPasswordFailedAttempts", "Unlimited"),
    ("PasswordExpiration", "Unlimited"),
    ("PasswordHistory", "0"),
    ("IsDefault", "False"),
    ("AllowApplePushNotifications", "True"),
    ("AllowMicrosoftPushNotifications", "True"),
    ("AllowGooglePushNotifications", "True"),
    ("AllowStorageCard", "True"),
    ("AllowCamera", "True"),
    ("RequireDeviceEncryption", "False"),
    ("AllowUnsignedApplications", "True"),
    ("AllowUnsignedInstallationPackages", "True"),
    ("AllowWiFi", "True"),
    ("AllowTextMessaging", "True"),
    ("AllowPOPIMAPEmail", "True"),
    ("AllowIrDA", "True"),
    ("RequireManualSyncWhenRoaming", "False"),
    ("AllowDesktopSync", "True"),
    ("AllowHTMLEmail", "True"),
    ("RequireSignedSMIMEMessages", "False"),
    ("RequireEncryptedSMIMEMessages", "False"),
    ("AllowSMIMESoftCerts", "True"),
    ("AllowBrowser", "True"),
    ("AllowConsumerEmail", "True"),
    ("AllowRemoteDesktop", "True"),
    ("AllowInternetSharing", "True"),
    ("AllowBluetooth", "Allow"),
    ("MaxCalendarAgeFilter", "All"),
    ("MaxEmailAgeFilter", "All"),
    ("RequireSignedSMIMEAlgorithm", "SHA1"),
    ("RequireEncryptionSMIMEAlgorithm", "TripleDES"),
    ("AllowSMIMEEncryptionAlgorithmNegotiation", "AllowAnyAlgorithmNegotiation"),
    ("MinPasswordComplexCharacters", "1"),
    ("MaxEmailBodyTruncationSize", "Unlimited"),
    ("MaxEmailHTMLBodyTruncationSize", "Unlimited"),
    ("UnapprovedInROMApplicationList", "{}"),
    ("ApprovedApplicationList", "{}"),
    ("AllowExternalDeviceManagement", "False"),
    ("AllowMobileOTAUpdate", "True"),
    ("IrmEnabled", "True"),
]

@Suite("MobileDeviceMailboxPolicy defaults")
struct MobileDeviceMailboxPolicyDefaultsTests {
    static func newPolicy() -> MobileDeviceMailboxPolicy {
        MobileDeviceMailboxPolicy(name: "Sales", guid: policyGuid, created: policyCreated)
    }

    @Test("A new policy shows Exchange's default for each property", arguments: mobileDefaults)
    func newPolicyDefault(property: String, expected: String) throws {
        let definition = try #require(MobileDeviceMailboxPolicy.schema.property(named: property))
        #expect(definition.name == property)
        #expect(definition.get(Self.newPolicy()).displayText == expected)
    }

    @Test("The defaults table covers every property but the directory ones, in Format-List order")
    func tableCoversSchema() {
        #expect(MobileDeviceMailboxPolicy.schema.propertyNames == mobileDefaults.map(\.0) + directoryProperties)
    }

    @Test("The built-in policy is named Default and is the default policy")
    func builtInPolicy() {
        let policy = MobileDeviceMailboxPolicy.builtInDefault(guid: policyGuid, created: policyCreated)
        #expect(policy[property: "Name"]?.displayText == "Default")
        #expect(policy[property: "Identity"]?.displayText == "Default")
        #expect(policy[property: "IsDefault"]?.displayText == "True")
        #expect(policy[property: "Guid"] == .guid(policyGuid))
        #expect(policy[property: "WhenCreated"] == .date(policyCreated))
        #expect(policy[property: "WhenChanged"] == .date(policyCreated))
    }

    @Test("The built-in policy has the same settings as a new one")
    func builtInHasNewPolicySettings() {
        let builtIn = MobileDeviceMailboxPolicy.builtInDefault(guid: policyGuid, created: policyCreated)
        let differences = MobileDeviceMailboxPolicy.schema.differences(builtIn, from: Self.newPolicy())
        #expect(differences.map(\.name) == ["IsDefault", "Name"])
    }

    @Test("Out-of-range values are refused and leave the policy unchanged", arguments: [
        ("MinPasswordLength", PropertyValue.int(17)),
        ("MinPasswordLength", .int(0)),
        ("MinPasswordComplexCharacters", .int(0)),
        ("MinPasswordComplexCharacters", .int(5)),
        ("MaxPasswordFailedAttempts", .int(3)),
        ("MaxPasswordFailedAttempts", .int(17)),
        ("MaxInactivityTimeLock", .string("02:00:00")),
        ("MaxInactivityTimeLock", .string("00:00:59")),
        ("PasswordExpiration", .string("731")),
        ("PasswordExpiration", .string("23:59:59")),
        ("PasswordHistory", .int(51)),
        ("PasswordHistory", .int(-1)),
        ("MaxAttachmentSize", .string("2147482625")),
        ("MaxAttachmentSize", .string("2GB")),
        ("MaxEmailBodyTruncationSize", .int(-1)),
        ("MaxEmailHTMLBodyTruncationSize", .int(-1)),
    ])
    func outOfRangeRefused(property: String, value: PropertyValue) throws {
        let definition = try #require(MobileDeviceMailboxPolicy.schema.property(named: property))
        let original = Self.newPolicy()
        var policy = original
        #expect(throws: ValueConversionError.self) { try definition.set(&policy, value) }
        #expect(policy == original)
    }

    @Test("Range limits themselves are accepted", arguments: [
        ("MinPasswordLength", PropertyValue.int(1), "1"),
        ("MinPasswordLength", .int(16), "16"),
        ("MinPasswordComplexCharacters", .int(4), "4"),
        ("MaxPasswordFailedAttempts", .int(4), "4"),
        ("MaxPasswordFailedAttempts", .string("16"), "16"),
        ("MaxInactivityTimeLock", .string("00:01:00"), "00:01:00"),
        ("MaxInactivityTimeLock", .string("01:00:00"), "01:00:00"),
        ("PasswordExpiration", .string("1"), "1.00:00:00"),
        ("PasswordExpiration", .string("730.00:00:00"), "730.00:00:00"),
        ("PasswordHistory", .int(50), "50"),
        ("MaxEmailBodyTruncationSize", .int(0), "0"),
    ])
    func limitsAccepted(property: String, value: PropertyValue, shown: String) throws {
        let definition = try #require(MobileDeviceMailboxPolicy.schema.property(named: property))
        var policy = Self.newPolicy()
        try definition.set(&policy, value)
        #expect(definition.get(policy).displayText == shown)
    }

    @Test("The largest MaxAttachmentSize is 2097151KB, 2147482624 bytes")
    func largestAttachmentSize() throws {
        let definition = try #require(MobileDeviceMailboxPolicy.schema.property(named: "MaxAttachmentSize"))
        var policy = Self.newPolicy()
        try definition.set(&policy, .string("2097151KB"))
        #expect(policy.maxAttachmentSize == .limited(ByteQuantifiedSize(bytes: 2_147_482_624)))
    }

    @Test("The white paper's 00:15 sets MaxInactivityTimeLock to fifteen minutes")
    func inactivityLockFifteenMinutes() throws {
        let definition = try #require(MobileDeviceMailboxPolicy.schema.property(named: "MaxInactivityTimeLock"))
        var policy = Self.newPolicy()
        try definition.set(&policy, .string("00:15"))
        #expect(definition.get(policy).displayText == "00:15:00")
    }

    @Test("The white paper's 90 sets PasswordExpiration to ninety days")
    func passwordExpirationNinetyDays() throws {
        let definition = try #require(MobileDeviceMailboxPolicy.schema.property(named: "PasswordExpiration"))
        var policy = Self.newPolicy()
        try definition.set(&policy, .string("90"))
        #expect(definition.get(policy).displayText == "90.00:00:00")
    }

    @Test("Unlimited restores an Unlimited property and $null blanks MinPasswordLength")
    func unlimitedAndNullRestoreDefaults() throws {
        let schema = MobileDeviceMailboxPolicy.schema
        var policy = Self.newPolicy()
        try schema.property(named: "MaxPasswordFailedAttempts")!.set(&policy, .int(8))
        try schema.property(named: "MaxPasswordFailedAttempts")!.set(&policy, .string("unlimited"))
        try schema.property(named: "MinPasswordLength")!.set(&policy, .int(8))
        try schema.property(named: "MinPasswordLength")!.set(&policy, .null)
        #expect(policy == Self.newPolicy())
    }

    @Test("RequireStorageCardEncryption also turns DeviceEncryptionEnabled on")
    func storageCardEncryptionIsDeviceEncryption() throws {
        let schema = MobileDeviceMailboxPolicy.schema
        var policy = Self.newPolicy()
        try schema.property(named: "RequireStorageCardEncryption")!.set(&policy, .bool(true))
        #expect(policy[property: "DeviceEncryptionEnabled"] == .bool(true))
        try schema.property(named: "DeviceEncryptionEnabled")!.set(&policy, .bool(false))
        #expect(policy[property: "RequireStorageCardEncryption"] == .bool(false))
    }

    @Test("Identity, Guid and the dates are read-only", arguments: ["Identity", "Guid", "WhenChanged", "WhenCreated"])
    func directoryPropertiesReadOnly(property: String) throws {
        let definition = try #require(MobileDeviceMailboxPolicy.schema.property(named: property))
        #expect(definition.isReadOnly)
    }

    @Test("AllowBluetooth takes enumerator names ignoring case and refuses others")
    func bluetoothValues() throws {
        let definition = try #require(MobileDeviceMailboxPolicy.schema.property(named: "AllowBluetooth"))
        var policy = Self.newPolicy()
        try definition.set(&policy, .string("handsfreeonly"))
        #expect(policy.allowBluetooth == .HandsfreeOnly)
        let error = #expect(throws: ValueConversionError.self) { try definition.set(&policy, .string("Sometimes")) }
        #expect(error?.validValues == ["Disable", "HandsfreeOnly", "Allow"])
        #expect(error?.typeName == "Microsoft.Exchange.Data.Directory.SystemConfiguration.BluetoothType")
    }
}

@Suite("Mobile policy enumerations")
struct MobilePolicyEnumTests {
    @Test("Enumerators are Exchange's, in declaration order", arguments: [
        (BluetoothType.descriptor, ["Disable", "HandsfreeOnly", "Allow"]),
        (CalendarAgeFilterType.descriptor, ["All", "TwoWeeks", "OneMonth", "ThreeMonths", "SixMonths"]),
        (EmailAgeFilterType.descriptor, ["All", "OneDay", "ThreeDays", "OneWeek", "TwoWeeks", "OneMonth"]),
        (SignedSMIMEAlgorithmType.descriptor, ["SHA1", "MD5"]),
        (EncryptionSMIMEAlgorithmType.descriptor, ["TripleDES", "DES", "RC2128bit", "RC264bit", "RC240bit"]),
        (SMIMEEncryptionAlgorithmNegotiationType.descriptor,
         ["BlockNegotiation", "OnlyStrongAlgorithmNegotiation", "AllowAnyAlgorithmNegotiation"]),
    ])
    func enumerators(descriptor: EnumDescriptor, names: [String]) {
        #expect(descriptor.names == names)
        #expect(descriptor.typeName.hasPrefix("Microsoft.Exchange.Data.Directory.SystemConfiguration."))
    }
}

// MARK: - OWA mailbox policy [EXCHANGE-FACTS 3.2; OPS Set-OwaMailboxPolicy]

private let owaDefaults: [(String, String)] = [
    ("ClassicAttachmentsEnabled", "True"),
    ("ReferenceAttachmentsEnabled", "True"),
    ("SaveAttachmentsToCloudEnabled", "True"),
    ("DirectFileAccessOnPublicComputersEnabled", "True"),
    ("DirectFileAccessOnPrivateComputersEnabled", "True"),
    ("WacViewingOnPublicComputersEnabled", "True"),
    ("WacViewingOnPrivateComputersEnabled", "True"),
    ("ForceWacViewingFirstOnPublicComputers", "False"),
    ("ForceWacViewingFirstOnPrivateComputers", "False"),
    ("ActionForUnknownFileAndMIMETypes", "Allow"),
    ("AllowedFileTypes", "{.avi, .bmp, .doc, .docm, .docx, .gif, .jpg, .mp3, .one, .pdf, .png, .ppsm, .ppsx, .ppt, .pptm, .pptx, .pub, .rpmsg, .rtf, .tif, .tiff, .txt, .vsd, .wav, .wma, .wmv, .xls, .xlsb, .xlsm, .xlsx, .zip}"),
    ("AllowedMimeTypes", "{image/bmp, image/gif, image/jpeg, image/png}"),
    ("ForceSaveFileTypes", "{.ade, .adp, .app, .asp, .aspx, .asx, .bas, .bat, .cer, .chm, .cmd, .com, .cpl, .crt, .csh, .dcr, .dir, .exe, .fxp, .gadget, .hlp, .hta, .htm, .html, .inf, .ins, .isp, .its, .js, .jse, .ksh, .lnk, .mad, .maf, .mag, .mam, .maq, .mar, .mas, .mat, .mau, .mav, .maw, .mda, .mdb, .mde, .mdt, .mdw, .mdz, .msc, .msh, .mshxml, .msi, .msp, .mst, .ops, .pcd, .pif, .plg, .prf, .prg, .ps1, .ps1xml, .ps2, .ps2xml, .psc1, .psc2, .pst, .reg, .scf, .scr, .sct, .shb, .shs, .spl, .swf, .tmp, .url, .vb, .vbe, .vbs, .vsmacro, .vss, .vst, .vsw, .ws, .wsc, .wsf, .wsh}"),
    ("ForceSaveMimeTypes", "{Application/futuresplash, Application/octet-stream, Application/x-director, Application/x-shockwave-flash, text/html}"),
    ("BlockedFileTypes", "{.ade, .adp, .apk, .app, .appcontent-ms, .application, .appref-ms, .appx, .asp, .aspx, .asx, .bas, .bat, .bgi, .cab, .cdxml, .cer, .chm, .cmd, .cnt, .com, .cpl, .crt, .csh, .der, .diagcab, .exe, .fxp, .gadget, .grp, .hlp, .hpj, .hta, .htc, .img, .inf, .ins, .iso, .isp, .its, .jar, .jnlp, .js, .jse, .ksh, .library-ms, .lnk, .mad, .maf, .mag, .mam, .maq, .mar, .mas, .mat, .mau, .mav, .maw, .mcf, .mda, .mdb, .mde, .mdt, .mdw, .mdz, .mht, .mhtml, .msc, .msh, .msh1, .msh1xml, .msh2, .msh2xml, .mshxml, .msi, .msp, .mst, .msu, .ops, .osd, .pcd, .pif, .pl, .plg, .prf, .prg, .printerexport, .ps1, .ps1xml, .ps2, .ps2xml, .psc1, .psc2, .psd1, .psdm1, .pssc, .pst, .py, .pyc, .pyo, .pyw, .pyz, .pyzw, .reg, .scf, .scr, .sct, .search-ms, .settingcontent-ms, .shb, .shs, .theme, .tmp, .udl, .url, .vb, .vbe, .vbp, .vbs, .vhd, .vhdx, .vsmacros, .vsw, .webpnp, .website, .ws, .wsb, .wsc, .wsf, .wsh, .xbap, .xll, .xnk}"),
    ("BlockedMimeTypes", "{application/hta, application/javascript, application/msaccess, application/prg, application/x-javascript, text/javascript, text/scriplet, x-internet-signup}"),
    ("DefaultTheme", ""),
    ("IsDefault", "False"),
    ("LogonAndErrorLanguage", "0"),
    ("UseGB18030", "False"),
    ("UseISO885915", "False"),
    ("OutboundCharset", "AutoDetect"),
    ("GlobalAddressListEnabled", "True"),
    ("OrganizationEnabled", "True"),
    ("ExplicitLogonEnabled", "True"),
    ("OWALightEnabled", "True"),
    ("DelegateAccessEnabled", "True"),
    ("IRMEnabled", "True"),
    ("CalendarEnabled", "True"),
    ("ContactsEnabled", "True"),
    ("TasksEnabled", "True"),
    ("JournalEnabled", "True"),
    ("NotesEnabled", "True"),
    ("RemindersAndNotificationsEnabled", "True"),
    ("PremiumClientEnabled", "True"),
    ("SpellCheckerEnabled", "True"),
    ("SearchFoldersEnabled", "True"),
    ("SignaturesEnabled", "True"),
    ("ThemeSelectionEnabled", "True"),
    ("UMIntegrationEnabled", "True"),
    ("ChangePasswordEnabled", "True"),
    ("ActiveSyncIntegrationEnabled", "True"),
    ("AllAddressListsEnabled", "True"),
    ("RulesEnabled", "True"),
    ("PublicFoldersEnabled", "True"),
    ("RecoverDeletedItemsEnabled", "True"),
    ("InstantMessagingEnabled", "True"),
    ("TextMessagingEnabled", "True"),
    ("ForceSaveAttachmentFilteringEnabled", "False"),
    ("DisplayPhotosEnabled", "True"),
    ("SetPhotoEnabled", "True"),
    ("AllowOfflineOn", "AllComputers"),
    ("PlacesEnabled", "True"),
    ("WeatherEnabled", "True"),
    ("AllowCopyContactsToDeviceAddressBook", "True"),
    ("WacExternalServicesEnabled", "True"),
    ("WacOMEXEnabled", "False"),
    ("ReportJunkEmailEnabled", "True"),
    ("GroupCreationEnabled", "True"),
    ("SkipCreateUnifiedGroupCustomSharepointClassification", "True"),
    ("WebPartsFrameOptionsType", "SameOrigin"),
    ("AdditionalStorageProvidersAvailable", "True"),
    ("AttachmentsOfflineEnabledWin", "True"),
    ("ChangeSettingsAccountEnabled", "True"),
    ("ConditionalAccessPolicy", "Off"),
    ("ExternalImageProxyEnabled", "True"),
    ("FeedbackEnabled", "True"),
    ("HideClassicOutlookToggleOut", "False"),
    ("InterestingCalendarsEnabled", "True"),
    ("ItemsToOtherAccountsEnabled", "False"),
    ("LocalEventsEnabled", "False"),
    ("NpsSurveysEnabled", "True"),
    ("OfflineEnabledWeb", "True"),
    ("OfflineEnabledWin", "True"),
    ("OneWinNativeOutlookEnabled", "True"),
    ("OnSendAddinsEnabled", "False"),
    ("OutlookBetaToggleEnabled", "True"),
    ("OutlookDataFile", "Allow"),
    ("PersonalAccountCalendarsEnabled", "True"),
    ("PersonalAccountsEnabled", "True"),
    ("PrintWithoutDownloadEnabled", "True"),
    ("ProjectMocaEnabled", "False"),
    ("SatisfactionEnabled", "True"),
    ("TeamSnapCalendarsEnabled", "True"),
    ("UserVoiceEnabled", "True"),
    ("WacEditingEnabled", "True"),
]

@Suite("OwaMailboxPolicy defaults")
struct OwaMailboxPolicyDefaultsTests {
    static func newPolicy() -> OwaMailboxPolicy {
        OwaMailboxPolicy(name: "Contractors", guid: policyGuid, created: policyCreated)
    }

    @Test("A new policy shows Exchange's default for each property", arguments: owaDefaults)
    func newPolicyDefault(property: String, expected: String) throws {
        let definition = try #require(OwaMailboxPolicy.schema.property(named: property))
        #expect(definition.name == property)
        #expect(definition.get(Self.newPolicy()).displayText == expected)
    }

    @Test("The defaults table covers every property but the directory ones, in Format-List order")
    func tableCoversSchema() {
        #expect(OwaMailboxPolicy.schema.propertyNames == owaDefaults.map(\.0) + directoryProperties)
    }

    @Test("The built-in policy is OwaMailboxPolicy-Default and is the default policy")
    func builtInPolicy() {
        let policy = OwaMailboxPolicy.builtInDefault(guid: policyGuid, created: policyCreated)
        #expect(policy[property: "Name"]?.displayText == "OwaMailboxPolicy-Default")
        #expect(policy[property: "Identity"]?.displayText == "OwaMailboxPolicy-Default")
        #expect(policy[property: "IsDefault"]?.displayText == "True")
        #expect(policy[property: "Guid"] == .guid(policyGuid))
        #expect(policy[property: "WhenCreated"] == .date(policyCreated))
    }

    @Test("The built-in policy has the same settings as a new one")
    func builtInHasNewPolicySettings() {
        let builtIn = OwaMailboxPolicy.builtInDefault(guid: policyGuid, created: policyCreated)
        let differences = OwaMailboxPolicy.schema.differences(builtIn, from: Self.newPolicy())
        #expect(differences.map(\.name) == ["IsDefault", "Name"])
    }

    @Test("Default file and MIME type lists contain the documented entries", arguments: [
        ("BlockedFileTypes", ".exe"),
        ("BlockedFileTypes", ".ps1"),
        ("BlockedFileTypes", ".iso"),
        ("BlockedFileTypes", ".pst"),
        ("AllowedFileTypes", ".pdf"),
        ("AllowedFileTypes", ".docx"),
        ("ForceSaveFileTypes", ".html"),
        ("ForceSaveFileTypes", ".exe"),
        ("ForceSaveMimeTypes", "text/html"),
        ("AllowedMimeTypes", "image/png"),
        ("BlockedMimeTypes", "application/javascript"),
    ])
    func listContains(property: String, entry: String) throws {
        let value = try #require(Self.newPolicy()[property: property])
        #expect(value.canonicalText.split(separator: ",").map(String.init).contains(entry))
    }

    @Test("Default file lists omit what the cloud lists leave out", arguments: [
        ("AllowedFileTypes", ".exe"),
        ("AllowedFileTypes", ".vsdx"),
        ("BlockedFileTypes", ".xml"),
        ("BlockedFileTypes", ".pdf"),
        ("BlockedMimeTypes", "text/xml"),
        ("ForceSaveFileTypes", ".pdf"),
    ])
    func listOmits(property: String, entry: String) throws {
        let value = try #require(Self.newPolicy()[property: property])
        #expect(!value.canonicalText.split(separator: ",").map(String.init).contains(entry))
    }

    @Test("Default list sizes", arguments: [
        ("AllowedFileTypes", 31), ("AllowedMimeTypes", 4), ("ForceSaveFileTypes", 89),
        ("ForceSaveMimeTypes", 5), ("BlockedFileTypes", 133), ("BlockedMimeTypes", 8),
    ])
    func listSizes(property: String, count: Int) throws {
        guard case .list(let items) = try #require(Self.newPolicy()[property: property]) else {
            Issue.record("\(property) is not multi-valued")
            return
        }
        #expect(items.count == count)
    }

    @Test("ConditionalAccessPolicy takes the three documented values", arguments: ["Off", "ReadOnly", "ReadOnlyPlusAttachmentsBlocked"])
    func conditionalAccessValues(value: String) throws {
        let definition = try #require(OwaMailboxPolicy.schema.property(named: "ConditionalAccessPolicy"))
        var policy = Self.newPolicy()
        try definition.set(&policy, .string(value))
        #expect(definition.get(policy).displayText == value)
    }

    @Test("An unknown ActionForUnknownFileAndMIMETypes is refused and the policy is unchanged")
    func unknownAttachmentAction() throws {
        let definition = try #require(OwaMailboxPolicy.schema.property(named: "ActionForUnknownFileAndMIMETypes"))
        let original = Self.newPolicy()
        var policy = original
        let error = #expect(throws: ValueConversionError.self) { try definition.set(&policy, .string("Quarantine")) }
        #expect(error?.validValues == ["Allow", "ForceSave", "Block"])
        #expect(policy == original)
    }

    @Test("Identity, Guid and the dates are read-only", arguments: ["Identity", "Guid", "WhenChanged", "WhenCreated"])
    func directoryPropertiesReadOnly(property: String) throws {
        let definition = try #require(OwaMailboxPolicy.schema.property(named: property))
        #expect(definition.isReadOnly)
    }
}

@Suite("OWA policy enumerations")
struct OwaPolicyEnumTests {
    @Test("Enumerators are Exchange's, in declaration order", arguments: [
        (AttachmentBlockingActions.descriptor, ["Allow", "ForceSave", "Block"]),
        (AllowOfflineOnEnum.descriptor, ["PrivateComputersOnly", "NoComputers", "AllComputers"]),
        (PolicyEnum.descriptor, ["Off", "ReadOnly", "ReadOnlyPlusAttachmentsBlocked"]),
        (WebPartsFrameOptions.descriptor, ["Deny", "AllowFrom", "None", "SameOrigin"]),
        (OutboundCharsetOptions.descriptor, ["AlwaysUTF8", "AutoDetect", "UserLanguageChoice"]),
        (OutlookDataFileFeatureState.descriptor,
         ["Allow", "NoExport", "NoExportNoGrow", "NoExportNoOpen", "NoExportNoOpenNoGrow", "Deny"]),
    ])
    func enumerators(descriptor: EnumDescriptor, names: [String]) {
        #expect(descriptor.names == names)
    }
}
