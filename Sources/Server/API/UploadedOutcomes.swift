import CareNetwork
import Outcomes
import Storage

/// An outcome batch as uploaded to `POST /outcome-events` — a checked CSV file read again a
/// chunk at a time, or a JSON body's events — with each event's patient resolved from the
/// sender's linked record (under `identifiedBy=record`) and its source set to the sender.
///
/// A value: each pass over the batch (resolving links, checking scope, recording) walks its
/// own copy, and the file's bytes are shared, never copied.
struct UploadedOutcomes: OutcomeEventChunks {
    enum Events: Sendable {
        case csv(OutcomeCSVChunks)
        case list(OutcomeEventList)
    }

    private var events: Events
    /// The patient each record ID was linked to; `nil` when events name patients.
    var linkedPatients: [PatientID: PatientID]?
    /// Who sent the batch, recorded as every event's source; `nil` keeps the sent source.
    var source: String?

    init(_ events: Events) { self.events = events }

    mutating func next() -> [OutcomeEvent]? {
        var chunk: [OutcomeEvent]?
        switch events {
        case .csv(var file):
            chunk = file.next()
            events = .csv(file)
        case .list(var list):
            chunk = list.next()
            events = .list(list)
        }
        guard var chunk else { return nil }
        for index in chunk.indices {
            if let linkedPatients, let patient = linkedPatients[chunk[index].patientID] { chunk[index].patientID = patient }
            if let source { chunk[index].source = source }
        }
        return chunk
    }
}
