/// Microsoft's first-party applications by id and display name, as sign-in logs name them.
/// The access pipeline's records and the REST endpoint's token endpoint share this list.
public enum KnownApplications {
    public typealias Application = (id: String, name: String)

    public static let exchangeOnline: Application = ("00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online")
    public static let windowsAzureActiveDirectory: Application = ("00000002-0000-0000-c000-000000000000", "Windows Azure Active Directory")
    public static let microsoftGraph: Application = ("00000003-0000-0000-c000-000000000000", "Microsoft Graph")
    public static let azureADPowerShell: Application = ("1b730954-1685-4b74-9bfd-dac224a7b894", "Azure Active Directory PowerShell")
    public static let exchangePowerShell: Application = ("fb78d390-0c51-40cd-8e17-fdbfab77341b", "Microsoft Exchange REST API Based Powershell")
    public static let exchangeRemotePowerShell: Application = ("a0c73c16-a7e3-4564-9a95-2bdf47383716", "Microsoft Exchange Online Remote PowerShell")
    public static let graphCommandLineTools: Application = ("14d82eec-204b-4c2f-b7e8-296a70dab67e", "Microsoft Graph Command Line Tools")
    public static let azurePowerShell: Application = ("1950a258-227b-4e31-a9cf-717495945fc2", "Microsoft Azure PowerShell")
    public static let azureCLI: Application = ("04b07795-8ddb-461a-bbee-02f9e1bf7b46", "Microsoft Azure CLI")
    public static let microsoftOffice: Application = ("d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office")
    public static let outlookMobile: Application = ("27922004-5251-4030-b22d-91ecd9a37ea4", "Outlook Mobile")
    public static let iOSAccounts: Application = ("f8d98a96-0999-43f5-8af3-69971c7bb423", "iOS Accounts")
    public static let thunderbird: Application = ("9e5f94bc-e8a4-4e73-b8be-63364c29d753", "Mozilla Thunderbird")
}
