import ArgumentParser
import Logging
import TenantStore
print("hi")
