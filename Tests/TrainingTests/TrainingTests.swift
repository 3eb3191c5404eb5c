import Testing

// Tests of the Training module live in this folder, one file per concept.
