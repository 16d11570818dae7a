// Preferences page: the seat <select> drawn by an npm select library instead of the browser
// (the tenant's `select_widget`, see sites/booking/widgets.py). preferences.js keeps the one
// state; the library keeps the <select>'s value and fires its `change` event, which the page
// already listens to, so an adapter only draws the state.
//
// Each adapter is `mount(select)` and returns `{ refresh(value, enabled) }`: show `value` as
// chosen, enabled or not, without firing `change`.
"use strict";

(() => {
  function tomSelect(select) {
    const box = new window.TomSelect(select, { controlInput: null, allowEmptyOption: false });
    return {
      refresh(value, enabled) {
        if (enabled) box.enable();
        else box.disable();
        if (value && box.getValue() !== value) box.setValue(value, true);
      },
    };
  }

  function choices(select) {
    const box = new window.Choices(select, {
      searchEnabled: false,
      shouldSort: false,
      itemSelectText: "",
      allowHTML: false,
    });
    return {
      refresh(value, enabled) {
        if (enabled) box.enable();
        else box.disable();
        if (value && box.getValue(true) !== value) box.setChoiceByValue(value);
      },
    };
  }

  function slimSelect(select) {
    const box = new window.SlimSelect({ select, settings: { showSearch: false } });
    return {
      refresh(value, enabled) {
        if (enabled) box.enable();
        else box.disable();
        if (value && box.getSelected()[0] !== value) box.setSelected(value, false);
      },
    };
  }

  window.bookingSelectWidgets = {
    "tom-select": tomSelect,
    "choices.js": choices,
    "slim-select": slimSelect,
  };
})();
