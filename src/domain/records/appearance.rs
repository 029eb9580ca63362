//! How the app looks on this device (not per profile): the colour theme and the colours of
//! gains and losses. Stored by typed names (`"dark"`, `"blue-orange"`), never by the labels
//! the Settings page shows.

use serde::{Deserialize, Serialize};

/// Light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Theme {
    /// Follow the system setting (`prefers-color-scheme`).
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// The colours of gains and losses (signs carry the meaning either way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GainColours {
    /// Green gains, red losses.
    #[default]
    GreenRed,
    /// Blue gains, orange losses: apart for every kind of colour vision.
    BlueOrange,
}

/// The device's appearance settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Appearance {
    /// The theme.
    #[serde(default)]
    pub theme: Theme,
    /// Gain and loss colours.
    #[serde(default)]
    pub gains: GainColours,
}

impl Appearance {
    /// The `data-theme` attribute of `<html>` (none: follow the system).
    pub fn theme_attribute(self) -> Option<&'static str> {
        match self.theme {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }

    /// The `data-gains` attribute of `<html>` (none: green and red).
    pub fn gains_attribute(self) -> Option<&'static str> {
        match self.gains {
            GainColours::GreenRed => None,
            GainColours::BlueOrange => Some("blue-orange"),
        }
    }

    /// Whether charts draw in dark colours, given the system's preference.
    pub fn is_dark(self, system_dark: bool) -> bool {
        match self.theme {
            Theme::System => system_dark,
            Theme::Light => false,
            Theme::Dark => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_by_typed_names_and_read_back_with_defaults() {
        let a = Appearance {
            theme: Theme::Dark,
            gains: GainColours::BlueOrange,
        };
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, r#"{"theme":"dark","gains":"blue-orange"}"#);
        assert_eq!(serde_json::from_str::<Appearance>(&json).unwrap(), a);
        assert_eq!(
            serde_json::from_str::<Appearance>("{}").unwrap(),
            Appearance::default()
        );
    }

    #[test]
    fn attributes_and_darkness_follow_the_choice() {
        let system = Appearance::default();
        assert_eq!(system.theme_attribute(), None);
        assert!(system.is_dark(true) && !system.is_dark(false));
        let light = Appearance {
            theme: Theme::Light,
            ..Appearance::default()
        };
        assert_eq!(light.theme_attribute(), Some("light"));
        assert!(!light.is_dark(true));
        let blue = Appearance {
            gains: GainColours::BlueOrange,
            ..Appearance::default()
        };
        assert_eq!(blue.gains_attribute(), Some("blue-orange"));
    }
}
