/// Microsoft Graph subset (`/v1.0`, `/beta`).
enum GraphRoutes {
    static var routes: [Route] { [] }
}
