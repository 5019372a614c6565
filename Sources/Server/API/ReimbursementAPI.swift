import APIContract
import Core
import Economics
import Foundation
import OpenAPIRuntime

extension CurePathAPI {
    /// What the comparison endpoint reads, in Economics' own JSON shapes.
    struct ComparisonRequest: Decodable {
        struct Grid: Decodable {
            var icuDayChanges: [Int]?
            var acuteDayChanges: [Int]?
            var complications: [Bool]?
        }

        var episode: Episode
        var models: [NamedModel]
        var sensitivity: Grid?
    }

    func compareReimbursement(_ input: Operations.CompareReimbursement.Input) async throws -> Operations.CompareReimbursement.Output {
        // The exact bytes, read by the domain's decoders: money stays integer cents, rates decimal text.
        let request: ComparisonRequest
        do {
            request = try JSONDecoder().decode(ComparisonRequest.self, from: Data(RawRequestBody.current ?? []))
        } catch let error as DecodingError {
            throw ValidationError(field: APIJSON.path(error, root: "body"), problem: APIJSON.problem(error))
        }
        guard (1...20).contains(request.models.count) else { throw ValidationError(field: "models", problem: "compare 1 to 20 models, got \(request.models.count)") }
        let comparison = try Comparison(episode: request.episode, models: request.models)
        var sensitivity: Sensitivity?
        if let grid = request.sensitivity {
            sensitivity = try Sensitivity(episode: request.episode, models: request.models, icuDayChanges: grid.icuDayChanges ?? [0],
                                          acuteDayChanges: grid.acuteDayChanges ?? [0], complications: grid.complications ?? [request.episode.hasComplications])
        }
        func container(_ value: some Encodable) throws -> OpenAPIObjectContainer {
            try JSONDecoder().decode(OpenAPIObjectContainer.self, from: try JSONEncoder().encode(value))
        }
        return .ok(.init(body: .json(.init(
            comparison: try container(comparison), bestForCenter: comparison.bestForCenter?.name, cheapestForPayer: comparison.cheapestForPayer?.name,
            sensitivity: try sensitivity.map(container)))))
    }
}
