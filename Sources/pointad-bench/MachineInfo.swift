import TensorCore

/// The processor's model name, printed beside every rate: a fraction of sgemm measured on one
/// processor and OpenBLAS kernel does not carry over.
func processorName() -> String { ComputeEnvironment.processorName() }
