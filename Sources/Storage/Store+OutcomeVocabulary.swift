import Contracts
import Outcomes

extension Store {
    /// The codes an outcome file may use now: the dictionary's and those of every filed
    /// contract version (``OutcomeVocabulary``). Read at each upload, so filing a contract
    /// that defines its own response categories makes them acceptable at once.
    public func outcomeVocabulary() async throws -> OutcomeVocabulary {
        try await contracts.allVersions().reduce(OutcomeVocabulary.dictionary) { $0.union($1.outcomeVocabulary) }
    }
}
