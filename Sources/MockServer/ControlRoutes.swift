/// The simulator's control plane (`/sim/v1`).
enum ControlRoutes {
    static var routes: [Route] { [] }
}
