import APIContract
import Core
import Foundation
import OpenAPIRuntime

// The FHIR exchange handlers; filled in once the FHIR module's API is in place.
extension CurePathAPI {
    func importClinicalFacts(_ input: Operations.ImportClinicalFacts.Input) async throws -> Operations.ImportClinicalFacts.Output {
        throw ValidationError(field: "body", problem: "FHIR import is not available yet")
    }

    func exportPriorAuthorization(_ input: Operations.ExportPriorAuthorization.Input) async throws -> Operations.ExportPriorAuthorization.Output {
        throw ValidationError(field: "requestId", problem: "FHIR export is not available yet")
    }

    func recordClaimResponse(_ input: Operations.RecordClaimResponse.Input) async throws -> Operations.RecordClaimResponse.Output {
        throw ValidationError(field: "body", problem: "FHIR import is not available yet")
    }
}
