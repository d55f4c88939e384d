// The DevTools page only adds the panel; the panel is the popup, for the inspected tab.
chrome.devtools.panels.create('Token Refresh Kit', 'icons/32.png', 'popup.html?panel=1')
