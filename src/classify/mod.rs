//! The classifier: features (word and character n-grams, cue regexes), the linfa-trained multinomial
//! logistic regression, its versioned model file, evaluation and explanations. A pure function of text and
//! model: no database, no network.
