import Core

public enum ContractTag {}
/// A contract's stable identifier; every version of the contract shares it.
public typealias ContractID = Identifier<ContractTag>

public enum ManufacturerTag {}
/// The manufacturer that sells the product and gives the guarantees.
public typealias ManufacturerID = Identifier<ManufacturerTag>

public enum MediatorTag {}
/// The neutral third party that runs the contract, holds reserves and keeps the ledger.
public typealias MediatorID = Identifier<MediatorTag>

public enum MeasureTag {}
/// A measure's name within one contract (`ti`, `no-voe-36m`).
public typealias MeasureID = Identifier<MeasureTag>

public enum ConsequenceTag {}
/// A consequence clause's name within one contract (`ti-refund`, `tier-year-1`).
public typealias ConsequenceID = Identifier<ConsequenceTag>
