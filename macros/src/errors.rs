//! Collects independent errors so that one build reports every mistake at once.

/// An accumulator of [`syn::Error`]s, merged with [`syn::Error::combine`].
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(first) => first.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub(crate) fn extend(&mut self, result: syn::Result<()>) {
        if let Err(error) = result {
            self.push(error);
        }
    }

    /// `value` when nothing was pushed, else every pushed error.
    pub(crate) fn finish<T>(self, value: T) -> syn::Result<T> {
        match self.0 {
            Some(error) => Err(error),
            None => Ok(value),
        }
    }
}
