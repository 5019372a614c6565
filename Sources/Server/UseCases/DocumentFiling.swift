import Contracts
import Core
import Criteria
import Foundation
import Outcomes
import Storage

/// A contract or criteria file refused for the problems its reader found, each with its
/// line, column and field: the API shows them as a problem document, the filing page
/// against the file's own lines.
struct DocumentRefusal: Error, Sendable {
    var issues: [FileIssue]

    var validationError: ValidationError { ValidationError(issues: issues.map(\.located)) }
}

extension CurePathAPI {
    /// Files a contract version from its file: the one path the API (`POST /contracts`) and
    /// the filing page share.
    func fileContract(document bytes: [UInt8]) async throws -> (terms: ContractTerms, filing: ContractFiling) {
        let terms = try Self.readContractFile(bytes)
        return (terms, try await store.contracts.store(terms, document: String(decoding: bytes, as: UTF8.self)))
    }

    /// A contract file read and validated as filing reads it, every problem with its line: what
    /// filing, a manufacturer's proposal and the mediator's decision on one all read.
    static func readContractFile(_ bytes: [UInt8]) throws(DocumentRefusal) -> ContractTerms {
        do throws(FileValidationError) {
            return try ContractFile.parse(bytes)
        } catch {
            throw DocumentRefusal(issues: error.issues)
        }
    }

    /// Files a criteria set version from its file: the one path the API (`POST
    /// /criteria-sets`) and the filing page share. A payer files only its own sets, the
    /// mediator only regional standards (``requireCriteriaOwnership(_:)``).
    func fileCriteriaSet(document bytes: [UInt8]) async throws -> (set: CriteriaSet, filing: CriteriaFiling) {
        let set: CriteriaSet
        do throws(CriteriaFileError) {
            set = try CriteriaFile.parse(bytes)
        } catch {
            throw DocumentRefusal(issues: error.issues)
        }
        try requireCriteriaOwnership(set)
        return (set, try await store.criteria.store(set, document: String(decoding: bytes, as: UTF8.self)))
    }
}
