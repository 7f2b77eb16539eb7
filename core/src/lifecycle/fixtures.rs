//! Model parameters the lifecycle tests share: BG/NBD as fitted to the CDNOW sample (Fader,
//! Hardie and Lee 2005; lifetimes' `BetaGeoFitter` on it) and a Gamma-Gamma spend model of
//! the same sample's order of magnitude.

use super::bgnbd::BgNbd;
use super::gamma_gamma::GammaGamma;

/// BG/NBD fitted to CDNOW, in weeks.
pub(crate) const CDNOW: BgNbd = BgNbd {
    r: 0.243,
    alpha: 4.414,
    a: 0.793,
    b: 2.426,
};

/// A Gamma-Gamma spend model.
pub(crate) const SPEND: GammaGamma = GammaGamma {
    p: 6.25,
    q: 3.74,
    v: 15.45,
};
