/// Office 365 Management Activity API.
enum ManagementRoutes {
    static var routes: [Route] { [] }
}
