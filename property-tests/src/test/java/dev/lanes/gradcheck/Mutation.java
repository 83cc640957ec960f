package dev.lanes.gradcheck;

/** Faults planted in a test function's backward pass; the checker must catch every one. */
enum Mutation {
    /** The correct backward. */
    NONE,
    /** dx has the wrong sign. */
    SIGN_FLIP,
    /** One term is missing: a bias gradient, one of two summands, or a mask. */
    DROPPED_TERM,
    /** A gradient is read from or written to the neighbouring index. */
    INDEX_SHIFT,
    /** One tensor's gradient is 1 % too large. */
    SCALE_ONE_TENSOR,
    /** Parameter gradients are overwritten instead of accumulated. */
    OVERWRITE;

    /** The four mutations every function plants. */
    static final Mutation[] BASIC = {SIGN_FLIP, DROPPED_TERM, INDEX_SHIFT, SCALE_ONE_TENSOR};
}
