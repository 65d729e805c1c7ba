import Dispatch
import Synchronization

/// Runs async work from a synchronous command and waits for it. The commands stay
/// synchronous so their own work runs on the process's main thread: on a cooperative-pool
/// thread the bench's load and pipeline figures came out 2-3 % slower (a thread's own
/// malloc arena).
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        outcome.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    return try outcome.withLock { $0! }.get()
}
