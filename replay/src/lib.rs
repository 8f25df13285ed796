//! Terminal replay of a decoded [`review_recording::Recording`].
